import { sql } from "drizzle-orm";
import type { NodeHeartbeat, OwnerKind } from "@omniglass/contracts";
import type { Database } from "../db";
import type { ChangedOwner } from "./ingest";

/**
 * The clock's freshness pass: every fresh series whose `stale_at` has passed becomes stale (one
 * statement through the partial index on stale_at), with one freshness event each. Returns the
 * owners whose values changed state, for the live view.
 */
export async function unsafeMarkStale(
  db: Database,
  now: Date = new Date(),
): Promise<ChangedOwner[]> {
  const result = await db.execute(sql`
    with upd as (
      update series s set state = 'stale', state_since = ${now.toISOString()}::timestamptz
      where s.state = 'fresh' and s.stale_at is not null
        and s.stale_at <= ${now.toISOString()}::timestamptz
      returning s.id, s.owner_kind, coalesce(s.component_id, s.system_id, s.location_id) as owner,
        s.signal_id, s.ts
    ), ev as (
      insert into freshness_event (series_id, state, at, value_ts)
      select id, 'stale', ${now.toISOString()}::timestamptz, ts from upd
    )
    select upd.owner_kind as kind, upd.owner, array_agg(distinct g.name) as signals
    from upd join signal g on g.id = upd.signal_id
    group by upd.owner_kind, upd.owner`);
  return (result.rows as { kind: OwnerKind; owner: string; signals: string[] }[]).map((r) => ({
    ownerKind: r.kind,
    ownerId: r.owner,
    signals: r.signals,
  }));
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
