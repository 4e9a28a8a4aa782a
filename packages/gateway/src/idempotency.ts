import { and, eq, isNull, lt } from "drizzle-orm";
import type { Database } from "./db";
import { hashSecret } from "./identity/secrets";
import { idempotencyKey } from "./schema";

export type IdempotencyClaim =
  | { outcome: "new" }
  | { outcome: "replay"; status: number; body: unknown }
  | { outcome: "in-progress" }
  | { outcome: "mismatch" };

/** The credential a key belongs to, hashed (anonymous callers share one scope). */
export function idempotencyScope(credential: string | null): string {
  return hashSecret(`idempotency:${credential ?? "anonymous"}`);
}

/**
 * Claims `key` for this request. The first claim wins (`new`); a later one with the same request
 * replays the stored answer, or waits on one still running (`in-progress`); a different request
 * under the same key is a `mismatch`.
 */
export async function claimIdempotencyKey({
  db,
  scope,
  key,
  requestHash,
}: {
  db: Database;
  scope: string;
  key: string;
  requestHash: string;
}): Promise<IdempotencyClaim> {
  const [claimed] = await db
    .insert(idempotencyKey)
    .values({ scope, key, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKey.key });
  if (claimed) return { outcome: "new" };
  const [existing] = await db
    .select()
    .from(idempotencyKey)
    .where(and(eq(idempotencyKey.scope, scope), eq(idempotencyKey.key, key)));
  if (!existing) return claimIdempotencyKey({ db, scope, key, requestHash });
  if (existing.requestHash !== requestHash) return { outcome: "mismatch" };
  if (existing.status === null) return { outcome: "in-progress" };
  return { outcome: "replay", status: existing.status, body: existing.body };
}

/** Stores the answer to replay. */
export async function completeIdempotencyKey({
  db,
  scope,
  key,
  status,
  body,
}: {
  db: Database;
  scope: string;
  key: string;
  status: number;
  body: unknown;
}): Promise<void> {
  await db
    .update(idempotencyKey)
    .set({ status, body })
    .where(
      and(
        eq(idempotencyKey.scope, scope),
        eq(idempotencyKey.key, key),
        isNull(idempotencyKey.status),
      ),
    );
}

/** Forgets a claim whose answer is not worth keeping (a transient failure): a retry runs again. */
export async function releaseIdempotencyKey({
  db,
  scope,
  key,
}: {
  db: Database;
  scope: string;
  key: string;
}) {
  await db
    .delete(idempotencyKey)
    .where(
      and(
        eq(idempotencyKey.scope, scope),
        eq(idempotencyKey.key, key),
        isNull(idempotencyKey.status),
      ),
    );
}

/** Keys older than `olderThan` are forgotten (the worker prunes hourly; 24 hours are kept). */
export async function unsafePruneIdempotencyKeys({
  db,
  olderThan,
}: {
  db: Database;
  olderThan: Date;
}) {
  const deleted = await db
    .delete(idempotencyKey)
    .where(lt(idempotencyKey.createdAt, olderThan))
    .returning({ key: idempotencyKey.key });
  return deleted.length;
}
