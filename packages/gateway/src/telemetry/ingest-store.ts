import { sql } from "drizzle-orm";
import type { Transaction } from "../db";
import { UUID } from "../kit/refs";
import type { CatalogSignal } from "./ingest-caches";
import type { IncomingRejection, IncomingSample, WriteSamplesInput } from "./ingest";

/*
 * The writer's statements, each one for the whole batch (arrays through unnest): history appended
 * idempotently, current values moved forward, rejection counts added.
 */

/** A sample that passed validation, with its series key. */
export interface Accepted {
  index: number;
  key: string;
  sample: IncomingSample;
  signal: CatalogSignal;
}

/**
 * A PostgreSQL array literal of numbers (`{1,2.5,-3}`), built by hand: the driver's generic
 * array serialisation costs more per element than the insert itself. Only for finite numbers
 * (validated before) and safe integers.
 */
function numberArray(values: ArrayLike<number>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) out += (i > 0 ? "," : "") + String(values[i]);
  return out + "}";
}

/**
 * History (one insert per lane: metrics as float8, properties as jsonb) and current values (one
 * update, newest per series, forward only). Rows go in (series, ts) order, so the primary key's
 * pages are visited once each.
 */
export async function writeStored(
  tx: Transaction,
  input: WriteSamplesInput,
  stored: (Accepted & { seriesId: number })[],
  /** Filled with the series that became fresh here (from stale, or their first value). */
  becameFresh?: Set<number>,
): Promise<Set<number>> {
  const rows = stored.slice().sort((a, b) => a.seriesId - b.seriesId || a.sample.ts - b.sample.ts);
  const latest = new Map<number, Accepted & { seriesId: number }>();
  const metric: { sid: number[]; ms: number[]; num: number[] } = { sid: [], ms: [], num: [] };
  const property: { sid: number[]; ms: number[]; val: string[] } = { sid: [], ms: [], val: [] };
  for (const a of rows) {
    const ms = Math.trunc(a.sample.ts);
    if (a.signal.lane === "metric") {
      metric.sid.push(a.seriesId);
      metric.ms.push(ms);
      metric.num.push(a.sample.value as number);
    } else {
      property.sid.push(a.seriesId);
      property.ms.push(ms);
      property.val.push(JSON.stringify(a.sample.value));
    }
    // Sorted by ts within a series: the last one seen is the newest. Of samples at one
    // timestamp the first stays, as in history (the insert keeps the first, ignores the rest).
    const newest = latest.get(a.seriesId);
    if (!newest || Math.trunc(newest.sample.ts) < ms) latest.set(a.seriesId, a);
  }
  if (metric.sid.length > 0)
    await tx.execute(sql`
      insert into sample (series_id, ts, num)
      select u.sid, timestamptz 'epoch' + u.ms * interval '1 millisecond', u.num
      from unnest(${numberArray(metric.sid)}::bigint[], ${numberArray(metric.ms)}::bigint[],
                  ${numberArray(metric.num)}::float8[]) as u(sid, ms, num)
      on conflict do nothing`);
  if (property.sid.length > 0)
    await tx.execute(sql`
      insert into sample (series_id, ts, value)
      select u.sid, timestamptz 'epoch' + u.ms * interval '1 millisecond', u.val
      from unnest(${numberArray(property.sid)}::bigint[], ${numberArray(property.ms)}::bigint[],
                  ${sql.param(property.val)}::jsonb[]) as u(sid, ms, val)
      on conflict do nothing`);

  const cur = [...latest.values()];
  // Locks the series in id order before moving them: two writers in flight at once (the ingest
  // lane pipelines its writes) then queue on each other instead of deadlocking.
  await tx.execute(sql`
    select 1 from series
    where id = any(${numberArray(cur.map((a) => a.seriesId))}::bigint[])
    order by id for update`);
  const curIntervals = cur.map((a) => a.sample.expectedIntervalMs);
  // `old.state` (PostgreSQL 18): the state before this update, for stale → fresh events.
  const result = await tx.execute(sql`
    with u as (
      select * from unnest(${numberArray(cur.map((a) => a.seriesId))}::bigint[],
                           ${numberArray(cur.map((a) => Math.trunc(a.sample.ts)))}::bigint[],
                           ${sql.param(cur.map((a) => JSON.stringify(a.sample.value)))}::jsonb[],
                           ${sql.param(curIntervals)}::int[])
        as u(sid, ms, val, iv)
    ), upd as (
      update series s set
        value = u.val,
        ts = timestamptz 'epoch' + u.ms * interval '1 millisecond',
        received_at = now(),
        provenance = ${input.provenance},
        source_id = ${input.sourceId}::uuid,
        expected_interval_ms = u.iv,
        stale_at = case when u.iv is null then null
          else timestamptz 'epoch' + (u.ms + 2 * u.iv::bigint) * interval '1 millisecond' end,
        state = 'fresh',
        state_since = case when s.state = 'fresh' then s.state_since else now() end
      from u
      where s.id = u.sid
        and (s.ts is null or s.ts < timestamptz 'epoch' + u.ms * interval '1 millisecond')
      returning s.id, old.state as was, s.ts
    ), ev as (
      insert into freshness_event (series_id, state, at, value_ts)
      select id, 'fresh', now(), ts from upd where was = 'stale'
    )
    select id, was from upd`);
  const updated = result.rows as { id: string | number; was: string | null }[];
  if (becameFresh) for (const r of updated) if (r.was !== "fresh") becameFresh.add(Number(r.id));
  return new Set(updated.map((r) => Number(r.id)));
}

/** Adds rejections to the per (source, component, signal, reason) counts, in one statement. */
export async function countRejections(
  tx: Transaction,
  sourceId: string,
  rows: IncomingRejection[],
) {
  await tx.execute(sql`
    insert into sample_rejection (source_id, component_id, signal, reason, count, last_detail, first_at, last_at)
    select ${sourceId}::uuid, c.id, r.signal, r.reason, count(*), (array_agg(r.detail order by r.n desc))[1], now(), now()
    from unnest(${sql.param(rows.map((r) => (r.componentId && UUID.test(r.componentId) ? r.componentId : null)))}::uuid[],
                ${sql.param(rows.map((r) => r.signal.slice(0, 200)))}::text[],
                ${sql.param(rows.map((r) => r.reason))}::text[],
                ${sql.param(rows.map((r) => r.detail.slice(0, 500)))}::text[])
      with ordinality as r(cid, signal, reason, detail, n)
    left join component c on c.id = r.cid
    group by c.id, r.signal, r.reason
    order by c.id, r.signal, r.reason
    on conflict on constraint sample_rejection_key do update set
      count = sample_rejection.count + excluded.count,
      last_detail = excluded.last_detail,
      last_at = excluded.last_at`);
}
