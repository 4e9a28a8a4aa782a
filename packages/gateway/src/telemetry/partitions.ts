import { sql } from "drizzle-orm";
import type { Database, Transaction } from "../db";

/*
 * The history table `sample` is range-partitioned by day on `ts` (UTC): one partition
 * `sample_YYYYMMDD` per day. The worker creates them ahead of time (yesterday .. today + 2) at
 * start and every hour, and the writer creates a missing one on demand when an insert meets
 * "no partition of relation found". Retention drops whole partitions older than N days.
 *
 * Dropping history never loses a series' latest value: the current value of every series lives in
 * the `series` row itself (value, ts, state), not in `sample`, so a series silent for longer than
 * the retention still shows its last value; only its history older than N days goes.
 */

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** `sample_20261122` for the UTC day holding `ms`. */
export function partitionName(ms: number): string {
  const d = new Date(dayStart(ms));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `sample_${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}

type Db = Database | Transaction;

/** Creates the daily partitions covering [fromMs, toMs] (UTC days), if missing. Idempotent. */
export async function unsafeEnsureSamplePartitions(
  db: Db,
  { fromMs, toMs }: { fromMs: number; toMs: number },
): Promise<void> {
  for (let day = dayStart(fromMs); day <= dayStart(toMs); day += DAY_MS) {
    const name = partitionName(day);
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    try {
      await db.execute(
        sql.raw(
          `create table if not exists ${name} partition of sample for values from ('${from}') to ('${to}')`,
        ),
      );
    } catch (error) {
      // Two workers racing to create the same day: the loser sees a duplicate table or an
      // overlapping partition; either way the partition exists now.
      const code =
        (error as { code?: string; cause?: { code?: string } }).cause?.code ??
        (error as { code?: string }).code;
      if (code !== "42P07" && code !== "42P17" && code !== "23505") throw error;
    }
  }
}

/** The partitions kept around `now`: yesterday (late samples) to two days ahead. */
export async function unsafeEnsureCurrentPartitions(db: Db, now = Date.now()): Promise<void> {
  await unsafeEnsureSamplePartitions(db, { fromMs: now - DAY_MS, toMs: now + 2 * DAY_MS });
}

/** Lists `sample`'s partitions with their UTC day (epoch ms), oldest first. */
export async function listSamplePartitions(db: Db): Promise<{ name: string; dayMs: number }[]> {
  const result = await db.execute(sql`
    select c.relname as name
    from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    join pg_class p on p.oid = i.inhparent
    where p.relname = 'sample'
    order by c.relname`);
  return (result.rows as { name: string }[])
    .map(({ name }) => {
      const m = /^sample_(\d{4})(\d{2})(\d{2})$/.exec(name);
      return m ? { name, dayMs: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) } : null;
    })
    .filter((p): p is { name: string; dayMs: number } => p !== null);
}

/**
 * Drops the daily partitions lying wholly before `now - retentionDays`. The series' current values
 * are untouched (they live in `series`). Returns the dropped partitions' names.
 */
export async function unsafeDropExpiredPartitions(
  db: Db,
  {
    retentionDays = DEFAULT_RETENTION_DAYS,
    now = Date.now(),
  }: { retentionDays?: number; now?: number } = {},
): Promise<string[]> {
  const cutoff = now - retentionDays * DAY_MS;
  const dropped: string[] = [];
  for (const p of await listSamplePartitions(db)) {
    if (p.dayMs + DAY_MS <= cutoff) {
      await db.execute(sql.raw(`drop table if exists ${p.name}`));
      dropped.push(p.name);
    }
  }
  return dropped;
}

/** Whether an error is PostgreSQL's "no partition of relation … found for row". */
export function isMissingPartition(error: unknown): boolean {
  for (
    let e = error as { code?: string; message?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === "23514" && /no partition of relation/.test(e.message ?? "")) return true;
    if (/no partition of relation/.test(e.message ?? "")) return true;
  }
  return false;
}
