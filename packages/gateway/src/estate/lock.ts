import { sql } from "drizzle-orm";
import type { EstateLockInfo } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Database, Transaction } from "../db";
import { authorize, type GatewayContext } from "../kit";

type Db = Database | Transaction;

/** How long an apply's lease lasts: a crashed apply's lock is taken over after this. */
export const ESTATE_LOCK_TTL_MS = 10 * 60_000;

interface LockRow {
  lock_id: string;
  holder: string;
  purpose: string;
  acquired_at: Date | string;
  expires_at: Date | string;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const toInfo = (row: LockRow): EstateLockInfo => ({
  lockId: row.lock_id,
  holder: row.holder,
  purpose: row.purpose,
  acquiredAt: iso(row.acquired_at),
  expiresAt: iso(row.expires_at),
});

/** The state revision (the change log's last) and the number of rows it holds. */
export async function estateRevision(db: Db): Promise<{ revision: bigint; count: bigint }> {
  const result = await db.execute(
    sql`select coalesce(max(revision), 0)::text as revision, count(*)::text as count from estate_change`,
  );
  const row = result.rows[0] as { revision: string; count: string };
  return { revision: BigInt(row.revision), count: BigInt(row.count) };
}

/** The lock while it is held (an expired lease is no lock). */
export async function readEstateLock(db: Db): Promise<EstateLockInfo | null> {
  const result = await db.execute(
    sql`select * from estate_lock where name = 'estate' and expires_at > now()`,
  );
  const row = result.rows[0] as LockRow | undefined;
  return row ? toInfo(row) : null;
}

export function lockConflict(lock: EstateLockInfo): OmniglassError {
  return new OmniglassError(
    "CONFLICT",
    `The estate is locked by ${lock.holder} (${lock.purpose}) until ${lock.expiresAt}; lock id ${lock.lockId}.`,
    {
      fieldErrors: [
        {
          field: "lock",
          message: `held by ${lock.holder} for ${lock.purpose} since ${lock.acquiredAt}, expires ${lock.expiresAt}, id ${lock.lockId}`,
        },
      ],
    },
  );
}

/**
 * Takes the lease in its own short statement (autocommit): a fresh row, or the row of an
 * expired lease taken over. A held lock is a typed 409 naming holder, purpose and expiry.
 */
export async function acquireEstateLock(
  db: Database,
  actor: Actor,
  purpose: string,
  ttlMs = ESTATE_LOCK_TTL_MS,
): Promise<EstateLockInfo> {
  const result = await db.execute(sql`
    insert into estate_lock (name, lock_id, holder_id, holder, purpose, acquired_at, expires_at)
    values ('estate', ${uuidv7()}, ${actor.id}, ${actor.name}, ${purpose}, now(),
      now() + make_interval(secs => ${ttlMs / 1000}))
    on conflict (name) do update set lock_id = excluded.lock_id, holder_id = excluded.holder_id,
      holder = excluded.holder, purpose = excluded.purpose, acquired_at = excluded.acquired_at,
      expires_at = excluded.expires_at
    where estate_lock.expires_at <= now()
    returning *`);
  const row = result.rows[0] as LockRow | undefined;
  if (row) return toInfo(row);
  const held = await readEstateLock(db);
  // Released between the two statements: try once more.
  if (!held) return acquireEstateLock(db, actor, purpose, ttlMs);
  throw lockConflict(held);
}

/** Releases the lease by its id (a lease taken over by someone else is left alone). */
export async function releaseEstateLock(db: Database, lockId: string): Promise<void> {
  await db.execute(sql`delete from estate_lock where name = 'estate' and lock_id = ${lockId}`);
}

/**
 * Force-unlock by lock id (`estate:update` on scope all), audited: for a lease whose apply is
 * known dead before its expiry. A different id (the lock changed hands) is 409.
 */
export async function forceUnlockEstate({
  db,
  actor,
  meta,
  lockId,
}: GatewayContext & { lockId: string }): Promise<{ lock: null; released: EstateLockInfo }> {
  authorize(actor, [{ capability: "estate:update", everywhere: true }]);
  return db.transaction(async (tx) => {
    const result = await tx.execute(
      sql`delete from estate_lock where name = 'estate' and lock_id = ${lockId} returning *`,
    );
    const row = result.rows[0] as LockRow | undefined;
    if (!row) {
      const held = await readEstateLock(tx);
      throw new OmniglassError(
        held ? "CONFLICT" : "NOT_FOUND",
        held
          ? `The lock is now ${held.lockId} (held by ${held.holder}), not ${lockId}.`
          : `No lock ${lockId} is held.`,
        {
          fieldErrors: [
            { field: "lockId", message: held ? "not the current lock" : "no such lock" },
          ],
        },
      );
    }
    const released = toInfo(row);
    await writeAudit(tx, meta, {
      verb: "force-unlock",
      resource: "estate-lock",
      resourceId: lockId,
      before: released,
    });
    return { lock: null, released };
  });
}
