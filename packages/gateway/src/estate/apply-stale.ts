import { sql } from "drizzle-orm";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";

/** Who changed what since the plan's base: the stale-plan refusal lists these. */
export async function changesSince(db: Database | Transaction, base: bigint, since: Date | string) {
  const result = await db.execute(sql`
    select c.revision::text as revision, c.table_name, c.object_id, c.op, c.at,
      coalesce(p.name, (
        -- A writer that did not say who it is: the actor of that object's audit row, written in
        -- the same transaction (at or after its start).
        select ap.name from audit_log a join principal ap on ap.id = a.actor_id
        where a.resource_id = c.object_id::text and a.at >= c.at
        order by a.at limit 1)) as actor
    from estate_change c left join principal p on p.id = c.actor_id
    where c.revision > ${base.toString()}::bigint or c.at >= ${new Date(since).toISOString()}::timestamptz
    order by c.revision limit 100`);
  return result.rows as {
    revision: string;
    table_name: string;
    object_id: string;
    op: string;
    at: Date | string;
    actor: string | null;
  }[];
}

export function stalePlanError(
  planId: string,
  base: string,
  rows: Awaited<ReturnType<typeof changesSince>>,
): OmniglassError {
  return new OmniglassError(
    "STALE_PLAN",
    `Plan ${planId} was made at revision ${base}; the estate changed since (${rows.length} change(s)${rows.length === 100 ? " or more" : ""}). Plan again.`,
    {
      fieldErrors: rows.map((r) => ({
        field: `${r.table_name}.${r.object_id}`,
        message: `${r.op} at ${new Date(r.at).toISOString()} by ${r.actor ?? "unknown"} (revision ${r.revision})`,
      })),
    },
  );
}

/** Marks the plan stale (unless it was applied or discarded meanwhile). */
export async function markStale(db: Database, id: string): Promise<void> {
  await db.execute(
    sql`update estate_plan set status = 'stale' where id = ${id} and status in ('pending', 'approved')`,
  );
}

/** The fast refusal outside the lock: the plan is marked stale and the error lists what changed. */
export async function refuseStale(
  db: Database,
  id: string,
  baseText: string,
  base: bigint,
  since: Date,
): Promise<never> {
  const rows = await changesSince(db, base, since);
  await markStale(db, id);
  throw stalePlanError(id, baseText, rows);
}
