import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import type { Database } from "../db";
import { apiToken, session } from "../schema";
import { loadActor } from "./load-actor";
import { hashSecret } from "./secrets";

/** Last-used and last-seen times are written at most this often (a read that writes is kept rare). */
const TOUCH_EVERY = sql`interval '60 seconds'`;

/**
 * Resolves a bearer token to its actor: unknown, revoked or expired tokens and disabled principals
 * resolve to null (the caller answers 401 without saying which).
 */
export async function unsafeAuthenticateToken({
  db,
  secret,
}: {
  db: Database;
  secret: string;
}): Promise<Actor | null> {
  if (!secret.startsWith("og_")) return null;
  const [token] = await db
    .update(apiToken)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiToken.secretHash, hashSecret(secret)),
        isNull(apiToken.revokedAt),
        or(isNull(apiToken.expiresAt), gt(apiToken.expiresAt, sql`now()`)),
        or(isNull(apiToken.lastUsedAt), lt(apiToken.lastUsedAt, sql`now() - ${TOUCH_EVERY}`)),
      ),
    )
    .returning({ principalId: apiToken.principalId });
  const principalId =
    token?.principalId ??
    (
      await db
        .select({ principalId: apiToken.principalId })
        .from(apiToken)
        .where(
          and(
            eq(apiToken.secretHash, hashSecret(secret)),
            isNull(apiToken.revokedAt),
            or(isNull(apiToken.expiresAt), gt(apiToken.expiresAt, sql`now()`)),
          ),
        )
    )[0]?.principalId;
  return principalId ? loadActor(db, principalId) : null;
}

/** Resolves a session cookie's secret to its actor, like a token. */
export async function unsafeAuthenticateSession({
  db,
  secret,
}: {
  db: Database;
  secret: string;
}): Promise<Actor | null> {
  if (!secret.startsWith("ogs_")) return null;
  const live = and(
    eq(session.secretHash, hashSecret(secret)),
    isNull(session.revokedAt),
    gt(session.expiresAt, sql`now()`),
  );
  const [touched] = await db
    .update(session)
    .set({ lastSeenAt: sql`now()` })
    .where(and(live, lt(session.lastSeenAt, sql`now() - ${TOUCH_EVERY}`)))
    .returning({ principalId: session.principalId });
  const principalId =
    touched?.principalId ??
    (await db.select({ principalId: session.principalId }).from(session).where(live))[0]
      ?.principalId;
  return principalId ? loadActor(db, principalId) : null;
}
