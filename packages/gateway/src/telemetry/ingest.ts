import { sql } from "drizzle-orm";
import type { OwnerKind, RejectionReason } from "@omniglass/contracts";
import { checkSampleValue } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { UUID } from "../kit/refs";
import {
  DEFAULT_RETENTION_DAYS,
  isMissingPartition,
  unsafeEnsureSamplePartitions,
} from "./partitions";
import { cachesOf, loadSignalCatalog } from "./ingest-caches";
import { countRejections, writeStored, type Accepted } from "./ingest-store";
import { evaluateRulesOnIngest } from "../rules/evaluate-on-ingest";
import type { AlarmChange } from "../alarms/transitions";
import { healthSeedsOfAlarms, recomputeHealth, type HealthChange } from "../health";
import { gateOf } from "./write-gate";

export { forgetSeriesCache, loadSignalCatalog, type CatalogSignal } from "./ingest-caches";

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
  /** Alarms this commit opened, reopened or resolved (rules judged on ingest). */
  alarms: AlarmChange[];
  /** Verdicts this commit moved (components whose alarms or freshness changed, and above). */
  health: HealthChange[];
}

/** How far ahead of the server clock a sample's timestamp may be. */
export const MAX_FUTURE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

const seriesKey = (kind: string, owner: string, signalId: string, instance: string) =>
  `${kind}|${owner}|${signalId}|${instance}`;

// ---------------------------------------------------------------------------------------------

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
    return { accepted: 0, rejected, changed: [], alarms: [], health: [] };

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
      const becameFresh = new Set<number>();
      const changedIds =
        stored.length > 0 ? await writeStored(tx, input, stored, becameFresh) : new Set<number>();
      // Event rules judge what was just written, in the same transaction (issue #13).
      const alarms = stored.length > 0 ? await evaluateRulesOnIngest(tx, stored) : [];
      if (rejectionRows.length > 0) await countRejections(tx, input.sourceId, rejectionRows);
      // Health last (it locks owners): only components whose alarms or freshness moved, so a
      // batch that changed neither costs no statement here.
      const health = await recomputeHealth(tx, healthSeedsOf(alarms, stored, becameFresh));
      return { stored, changedIds, alarms, health };
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
    // The series ids that attempt created were rolled back with it: never cache them (the retry
    // may take a key's id from the cache, filled meanwhile by another writer, and not re-create it).
    created.clear();
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
    alarms: outcome.alarms,
    health: outcome.health,
  };
}

/** The owners to judge again: whose alarms changed, or components whose series became fresh. */
function healthSeedsOf(
  alarms: AlarmChange[],
  stored: (Accepted & { seriesId: number })[],
  becameFresh: Set<number>,
) {
  const seeds = healthSeedsOfAlarms(alarms);
  if (becameFresh.size > 0)
    for (const a of stored)
      if (a.sample.ownerKind === "component" && becameFresh.has(a.seriesId))
        seeds.componentIds.push(a.sample.ownerId);
  return seeds;
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
