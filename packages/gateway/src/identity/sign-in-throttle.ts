import { and, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../db";
import { signInFailure } from "../schema";

/** At most `limit` failures of one key within `windowMs`; then the key waits. */
export interface ThrottleRule {
  key: string;
  limit: number;
  windowMs: number;
}

const since = (windowMs: number) => sql`now() - make_interval(secs => ${windowMs / 1000})`;

/**
 * Milliseconds until every rule's key may try again (0: now). Failures live in PostgreSQL and are
 * timed by its clock, so every web replica throttles alike. A key waits until the oldest of its
 * `limit` most recent failures leaves the window. Unscoped: sign-in runs before any actor exists.
 */
export async function unsafeSignInWait(db: Database, rules: ThrottleRule[]): Promise<number> {
  let wait = 0;
  for (const { key, limit, windowMs } of rules) {
    const [row] = await db
      .select({
        ms: sql<number>`greatest(0, extract(epoch from (${signInFailure.at} + make_interval(secs => ${windowMs / 1000}) - now())) * 1000)::float8`,
      })
      .from(signInFailure)
      .where(and(eq(signInFailure.key, key), gt(signInFailure.at, since(windowMs))))
      .orderBy(desc(signInFailure.at))
      .offset(limit - 1)
      .limit(1);
    if (row) wait = Math.max(wait, Math.ceil(Number(row.ms)));
  }
  return wait;
}

/** Records one failed sign-in under each key and forgets failures older than the window. */
export async function unsafeRecordSignInFailure(
  db: Database,
  keys: string[],
  windowMs: number,
): Promise<void> {
  await db.insert(signInFailure).values(keys.map((key) => ({ id: uuidv7(), key })));
  await db.delete(signInFailure).where(lt(signInFailure.at, since(windowMs)));
}

/** A successful sign-in clears its account's failures (its address keeps counting). */
export async function unsafeClearSignInFailures(db: Database, keys: string[]): Promise<void> {
  await db.delete(signInFailure).where(inArray(signInFailure.key, keys));
}
