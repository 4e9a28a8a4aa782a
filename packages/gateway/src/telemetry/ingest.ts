import { sql } from "drizzle-orm";
import type { OwnerKind, RejectionReason } from "@omniglass/contracts";
import { checkSampleValue, type SampleSignal } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import {
  DEFAULT_RETENTION_DAYS,
  isMissingPartition,
  unsafeEnsureSamplePartitions,
} from "./partitions";

/*
 * The data plane's writer (DESIGN.md §3 "the journey of one reading"): validates samples against
 * the signal catalog, counts what it rejects, and in ONE transaction appends history (idempotent
 * on (series, ts)) and moves current values forward (never back in time). Built for batches: a
 * call costs a constant number of statements whatever its size (arrays passed through unnest).
 */

export interface IncomingSample {
  ownerKind: "component" | "system" | "location";
  ownerId: string;
  signal: string;
  instance: string;
  /** Epoch milliseconds when it was measured. */
  ts: number;
  value: unknown;
  /** When the next value is due; past twice this the value is stale. Null: never stale. */
  expectedIntervalMs: number | null;
}

export interface IncomingRejection {
  componentId: string | null;
  signal: string;
  reason: RejectionReason;
  detail: string;
}

export interface WriteSamplesInput {
  /** Principal id: the node, or the pushing principal. */
  sourceId: string;
  provenance: "observed" | "pushed";
  samples: IncomingSample[];
  /** Rejections decided before the writer (by the node, or by the caller's owner/scope checks). */
  rejections?: IncomingRejection[];
  /** The server clock (epoch ms) for the timestamp window; default now. */
  now?: number;
  /** History kept, in days: older samples are refused as `bad-timestamp`. Default 30. */
  retentionDays?: number;
}

export interface WrittenRejection {
  index: number;
  signal: string;
  reason: RejectionReason;
  detail: string;
}

export interface ChangedOwner {
  ownerKind: OwnerKind;
  ownerId: string;
  signals: string[];
}

export interface WriteSamplesResult {
  /** Samples stored (or already stored: a redelivered sample is accepted and written once). */
  accepted: number;
  /** Samples refused, by their index in `samples`. */
  rejected: WrittenRejection[];
  /** Owners whose current values changed in this commit, with the signals that changed. */
  changed: ChangedOwner[];
}

/** How far ahead of the server clock a sample's timestamp may be. */
export const MAX_FUTURE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------------------------------------
// Caches, per database handle (a worker process holds one): the signal catalog (short TTL) and
// series ids (keyed by owner|signal|instance; a series id never changes, but its owner may be
// deleted, so the whole map is forgotten now and then).
// ---------------------------------------------------------------------------------------------

export interface CatalogSignal extends SampleSignal {
  id: string;
}

const CATALOG_TTL_MS = 5_000;
/** An unknown name reloads the catalog at most this often (a flood of bad names costs nothing). */
const CATALOG_MISS_RELOAD_MS = 1_000;
const SERIES_CACHE_TTL_MS = 5 * 60_000;
const SERIES_CACHE_MAX = 500_000;

interface Caches {
  catalog: { at: number; byName: Map<string, CatalogSignal> } | null;
  series: Map<string, number>;
  seriesSince: number;
}
const caches = new WeakMap<object, Caches>();

function cachesOf(db: Database): Caches {
  let c = caches.get(db);
  if (!c) {
    c = { catalog: null, series: new Map(), seriesSince: Date.now() };
    caches.set(db, c);
  }
  if (Date.now() - c.seriesSince > SERIES_CACHE_TTL_MS || c.series.size > SERIES_CACHE_MAX) {
    c.series = new Map();
    c.seriesSince = Date.now();
  }
  return c;
}

async function readCatalog(db: Database | Transaction): Promise<Map<string, CatalogSignal>> {
  const result = await db.execute(
    sql`select id, name, lane, value_type as "valueType", schema from signal`,
  );
  return new Map((result.rows as unknown as CatalogSignal[]).map((s) => [s.name, s]));
}

/** The signal catalog by name, cached for a few seconds; reloaded early when a name is missing. */
export async function loadSignalCatalog(
  db: Database,
  { missing }: { missing?: Iterable<string> } = {},
): Promise<Map<string, CatalogSignal>> {
  const c = cachesOf(db);
  const now = Date.now();
  let stale = !c.catalog || now - c.catalog.at > CATALOG_TTL_MS;
  if (!stale && c.catalog && now - c.catalog.at > CATALOG_MISS_RELOAD_MS && missing) {
    for (const name of missing)
      if (!c.catalog.byName.has(name)) {
        stale = true;
        break;
      }
  }
  if (stale) c.catalog = { at: now, byName: await readCatalog(db) };
  return c.catalog!.byName;
}

/**
 * Writers of one process, per database handle: any number at once while every series they touch
 * is known (their statements take row locks in one order: history in (series, ts) order, series
 * in id order, rejection counts in key order), alone when one creates series (those row locks
 * are taken in key order, which would cross the others'). The ingest lane keeps two writes in
 * flight; the push API writes concurrently with it.
 */
class WriteGate {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  async enter(exclusive: boolean): Promise<() => void> {
    if (this.waiting.length > 0 || !this.fits(exclusive))
      await new Promise<void>((grant) => this.waiting.push({ exclusive, grant }));
    else this.take(exclusive);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (exclusive) this.exclusive = false;
      else this.shared -= 1;
      while (this.waiting.length > 0 && this.fits(this.waiting[0]!.exclusive)) {
        const next = this.waiting.shift()!;
        this.take(next.exclusive);
        next.grant();
      }
    };
  }

  private fits(exclusive: boolean) {
    return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
  }

  private take(exclusive: boolean) {
    if (exclusive) this.exclusive = true;
    else this.shared += 1;
  }
}
const gates = new WeakMap<object, WriteGate>();

function gateOf(db: Database): WriteGate {
  let gate = gates.get(db);
  if (!gate) {
    gate = new WriteGate();
    gates.set(db, gate);
  }
  return gate;
}

const seriesKey = (kind: string, owner: string, signalId: string, instance: string) =>
  `${kind}|${owner}|${signalId}|${instance}`;

// ---------------------------------------------------------------------------------------------

interface Accepted {
  index: number;
  key: string;
  sample: IncomingSample;
  signal: CatalogSignal;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));

/**
 * Validates and writes samples. "unsafe": no actor or scope check; the caller (the worker, bound
 * to the node's assignments, or the push API, scope-checked per owner) has done it.
 */
export async function unsafeWriteSamples(
  db: Database,
  input: WriteSamplesInput,
): Promise<WriteSamplesResult> {
  const now = input.now ?? Date.now();
  const retentionDays = input.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const oldest = now - retentionDays * DAY_MS;
  const newest = now + MAX_FUTURE_MS;

  const names = new Set<string>();
  for (const s of input.samples) names.add(s.signal);
  const catalog = await loadSignalCatalog(db, { missing: names });

  const rejected: WrittenRejection[] = [];
  const rejectionRows: IncomingRejection[] = [...(input.rejections ?? [])];
  const reject = (
    index: number,
    sample: IncomingSample,
    reason: RejectionReason,
    detail: string,
  ) => {
    rejected.push({ index, signal: sample.signal, reason, detail });
    rejectionRows.push({
      componentId: sample.ownerKind === "component" ? sample.ownerId : null,
      signal: sample.signal,
      reason,
      detail,
    });
  };

  const accepted: Accepted[] = [];
  for (let index = 0; index < input.samples.length; index++) {
    const sample = input.samples[index]!;
    const signal = catalog.get(sample.signal);
    if (!signal) {
      reject(index, sample, "unregistered-signal", `${sample.signal}: not in the signal catalog`);
      continue;
    }
    if (!UUID.test(sample.ownerId)) {
      reject(
        index,
        sample,
        "unknown-owner",
        `${sample.signal}: no ${sample.ownerKind} ${sample.ownerId}`,
      );
      continue;
    }
    if (!Number.isFinite(sample.ts) || sample.ts < oldest || sample.ts > newest) {
      reject(
        index,
        sample,
        "bad-timestamp",
        sample.ts > newest
          ? `${sample.signal}: ${iso(sample.ts)} is more than 5 minutes ahead of the server clock`
          : `${sample.signal}: ${iso(sample.ts)} is older than the ${retentionDays}-day retention`,
      );
      continue;
    }
    const problem = checkSampleValue(signal, sample.value);
    if (problem) {
      reject(index, sample, "invalid-value", problem);
      continue;
    }
    accepted.push({
      index,
      key: seriesKey(sample.ownerKind, sample.ownerId, signal.id, sample.instance),
      sample,
      signal,
    });
  }

  if (accepted.length === 0 && rejectionRows.length === 0)
    return { accepted: 0, rejected, changed: [] };

  // The series ids known now: a write that needs none created runs alongside others.
  const known = cachesOf(db).series;
  const creates = accepted.some((a) => !known.has(a.key));
  const created = new Map<string, number>();
  const run = () =>
    db.transaction(async (tx) => {
      const seriesIds = await resolveSeries(tx, known, accepted, created);
      const stored: (Accepted & { seriesId: number })[] = [];
      for (const a of accepted) {
        const id = seriesIds.get(a.key);
        if (id === undefined) {
          const s = a.sample;
          const detail = `${s.signal}: no ${s.ownerKind} ${s.ownerId}`;
          rejected.push({ index: a.index, signal: s.signal, reason: "unknown-owner", detail });
          rejectionRows.push({
            componentId: null,
            signal: s.signal,
            reason: "unknown-owner",
            detail,
          });
        } else stored.push({ ...a, seriesId: id });
      }
      const changedIds =
        stored.length > 0 ? await writeStored(tx, input, stored) : new Set<number>();
      if (rejectionRows.length > 0) await countRejections(tx, input.sourceId, rejectionRows);
      return { stored, changedIds };
    });

  const rejectedBefore = rejected.length;
  const rowsBefore = rejectionRows.length;
  let outcome;
  try {
    const leave = await gateOf(db).enter(creates);
    try {
      outcome = await run();
    } finally {
      leave();
    }
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    // A day without a partition yet (the clock creates them ahead; this covers a late or early
    // sample, or a worker that has not run its clock): create the batch's days and retry once.
    rejected.length = rejectedBefore;
    rejectionRows.length = rowsBefore;
    let min = Infinity;
    let max = -Infinity;
    for (const a of accepted) {
      min = Math.min(min, a.sample.ts);
      max = Math.max(max, a.sample.ts);
    }
    await unsafeEnsureSamplePartitions(db, { fromMs: min, toMs: max });
    const leave = await gateOf(db).enter(true);
    try {
      outcome = await run();
    } finally {
      leave();
    }
  }
  const cache = cachesOf(db).series;
  for (const [key, id] of created) cache.set(key, id);

  const byOwner = new Map<
    string,
    { ownerKind: OwnerKind; ownerId: string; signals: Set<string> }
  >();
  for (const a of outcome.stored) {
    if (!outcome.changedIds.has(a.seriesId)) continue;
    const k = `${a.sample.ownerKind}|${a.sample.ownerId}`;
    let o = byOwner.get(k);
    if (!o) {
      o = { ownerKind: a.sample.ownerKind, ownerId: a.sample.ownerId, signals: new Set() };
      byOwner.set(k, o);
    }
    o.signals.add(a.sample.signal);
  }
  rejected.sort((a, b) => a.index - b.index);
  return {
    accepted: outcome.stored.length,
    rejected,
    changed: [...byOwner.values()].map((o) => ({ ...o, signals: [...o.signals] })),
  };
}

/**
 * Series ids for the batch's keys: from the cache, else created (ON CONFLICT: fetched) in one
 * statement. Owners that do not exist get no series (the caller rejects them as unknown-owner).
 */
async function resolveSeries(
  tx: Transaction,
  cache: Map<string, number>,
  accepted: Accepted[],
  created: Map<string, number>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const missing = new Map<string, Accepted>();
  for (const a of accepted) {
    if (ids.has(a.key) || missing.has(a.key)) continue;
    const id = cache.get(a.key);
    if (id !== undefined) ids.set(a.key, id);
    else missing.set(a.key, a);
  }
  if (missing.size === 0) return ids;
  // Sorted, so concurrent writers creating the same series lock them in one order.
  const rows = [...missing.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const result = await tx.execute(sql`
    insert into series (owner_kind, component_id, system_id, location_id, signal_id, instance)
    select k.kind,
      case when k.kind = 'component' then k.owner end,
      case when k.kind = 'system' then k.owner end,
      case when k.kind = 'location' then k.owner end,
      k.signal, k.instance
    from unnest(${sql.param(rows.map((r) => r.sample.ownerKind))}::text[],
                ${sql.param(rows.map((r) => r.sample.ownerId))}::uuid[],
                ${sql.param(rows.map((r) => r.signal.id))}::uuid[],
                ${sql.param(rows.map((r) => r.sample.instance))}::text[])
      with ordinality as k(kind, owner, signal, instance, n)
    where (k.kind = 'component' and exists (select 1 from component c where c.id = k.owner))
       or (k.kind = 'system' and exists (select 1 from system y where y.id = k.owner))
       or (k.kind = 'location' and exists (select 1 from location l where l.id = k.owner))
    order by k.n
    on conflict on constraint series_owner_signal_instance_key
      do update set owner_kind = excluded.owner_kind
    returning id, owner_kind as kind, coalesce(component_id, system_id, location_id) as owner,
      signal_id as signal, instance`);
  for (const row of result.rows as {
    id: string | number;
    kind: string;
    owner: string;
    signal: string;
    instance: string;
  }[]) {
    const key = seriesKey(row.kind, row.owner, row.signal, row.instance);
    ids.set(key, Number(row.id));
    // Cached only once committed: a rolled-back insert would leave an id that does not exist.
    created.set(key, Number(row.id));
  }
  return ids;
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
async function writeStored(
  tx: Transaction,
  input: WriteSamplesInput,
  stored: (Accepted & { seriesId: number })[],
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
    // Sorted by ts within a series: the last one seen is the newest.
    latest.set(a.seriesId, a);
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
    select id from upd`);
  return new Set((result.rows as { id: string | number }[]).map((r) => Number(r.id)));
}

/** Adds rejections to the per (source, component, signal, reason) counts, in one statement. */
async function countRejections(tx: Transaction, sourceId: string, rows: IncomingRejection[]) {
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

/** Forgets cached series ids (after a failed transaction, or when owners were deleted). */
export function forgetSeriesCache(db: Database): void {
  caches.delete(db);
}
