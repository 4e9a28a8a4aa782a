import { sql } from "drizzle-orm";
import type { NodeHeartbeat, OwnerKind } from "@omniglass/contracts";
import type { Database } from "../db";
import type { AlarmChange } from "../alarms/transitions";
import { recomputeHealth, type HealthChange } from "../health";
import { evaluateNoDataRules } from "../rules/clock-no-data";
import type { ChangedOwner } from "./ingest";

export interface StalePassResult {
  /** Series this pass turned stale (STALE_BATCH: there may be more). */
  turned: number;
  /** Owners whose values changed state, for the live view. */
  changed: ChangedOwner[];
  /** Alarms the no-data rules opened or resolved in the same transaction. */
  alarms: AlarmChange[];
  /** Components whose freshness or alarms changed: their health was recomputed in the same transaction. */
  componentIds: string[];
  health: HealthChange[];
}

/** Series turned stale per pass: a backlog (after a restart) drains over a few passes. */
export const STALE_BATCH = 5_000;

/**
 * Fresh series past their stale time turn stale, with one freshness event each (through the
 * partial index `series_stale_at_idx`; rows an ingest batch holds are skipped).
 */
export const staleSeries = (at: string, limit: number = STALE_BATCH) => sql`
  with due as (
    select id from series
    where state = 'fresh' and stale_at is not null and stale_at <= ${at}::timestamptz
    order by id
    limit ${limit}
    for update skip locked
  ), upd as (
    update series s set state = 'stale', state_since = ${at}::timestamptz
    from due where s.id = due.id
    returning s.id, s.owner_kind, coalesce(s.component_id, s.system_id, s.location_id) as owner,
      s.instance, s.signal_id, s.ts
  ), ev as (
    insert into freshness_event (series_id, state, at, value_ts)
    select id, 'stale', ${at}::timestamptz, ts from upd
  )
  select upd.owner_kind as kind, upd.owner, upd.instance, g.name as signal
  from upd join signal g on g.id = upd.signal_id`;

/**
 * The clock's freshness pass, one transaction: every fresh series whose `stale_at` has passed
 * becomes stale (through the partial index on stale_at; rows an ingest batch holds are skipped,
 * that batch is making them fresh), with one freshness event each, and the no-data rules
 * reading those signals are judged for those components (`evaluateNoDataRules`). A series
 * turns stale once: a second worker's pass finds it stale already and judges nothing, so each
 * transition is judged exactly once; a pass that fails rolls back whole and the next one redoes it.
 */
export async function unsafeStalePass(
  db: Database,
  { now = new Date(), limit = STALE_BATCH }: { now?: Date; limit?: number } = {},
): Promise<StalePassResult> {
  return db.transaction(async (tx) => {
    const at = now.toISOString();
    const result = await tx.execute(staleSeries(at, limit));
    const rows = result.rows as {
      kind: OwnerKind;
      owner: string;
      instance: string;
      signal: string;
    }[];
    const owners = new Map<string, ChangedOwner>();
    for (const r of rows) {
      const key = `${r.kind}|${r.owner}`;
      const o = owners.get(key) ?? { ownerKind: r.kind, ownerId: r.owner, signals: [] };
      if (!o.signals.includes(r.signal)) o.signals.push(r.signal);
      owners.set(key, o);
    }
    const components = rows.filter((r) => r.kind === "component");
    const alarms = await evaluateNoDataRules(
      tx,
      components.map((r) => ({ componentId: r.owner, instance: r.instance, signal: r.signal })),
      now.getTime(),
    );
    const componentIds = [...new Set(components.map((r) => r.owner))].sort();
    const health = await recomputeHealth(tx, { componentIds });
    return { turned: rows.length, changed: [...owners.values()], alarms, componentIds, health };
  });
}

/** The freshness pass, answering only the owners whose values changed state (see unsafeStalePass). */
export async function unsafeMarkStale(
  db: Database,
  now: Date = new Date(),
): Promise<ChangedOwner[]> {
  return (await unsafeStalePass(db, { now })).changed;
}

/**
 * Stores a node's heartbeat: `last_seen_at` and the heartbeat itself, only moving forward (an old
 * beat redelivered after a newer one changes nothing). Returns whether the node exists.
 */
export async function unsafeRecordNodeHeartbeat(
  db: Database,
  heartbeat: NodeHeartbeat,
): Promise<boolean> {
  const result = await db.execute(sql`
    update node set
      last_seen_at = greatest(coalesce(last_seen_at, ${heartbeat.beatAt}::timestamptz), ${heartbeat.beatAt}::timestamptz),
      heartbeat = case
        when heartbeat is null or (heartbeat->>'beatAt')::timestamptz <= ${heartbeat.beatAt}::timestamptz
        then ${JSON.stringify(heartbeat)}::jsonb else heartbeat end
    where id = ${heartbeat.nodeId}::uuid
    returning id`);
  return (result.rowCount ?? result.rows.length) > 0;
}
