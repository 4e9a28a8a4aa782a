import { sql } from "drizzle-orm";
import type { RuleContext } from "@omniglass/domain";
import type { Transaction } from "../db";
import { DEFAULT_HEARTBEAT_INTERVAL_MS, MISSED_BEATS } from "../nodes/resolve-node";
import type { ActiveRule } from "./rule-cache";
import {
  componentFactsFor,
  factsDigestOf,
  uuidArray,
  type ComponentFacts,
} from "./component-facts";

/*
 * What the clock's passes (sustain periods ending, no-data) need to judge a rule without a new
 * sample: the component's scope facts, its stored current values as of `now`, and whether the
 * nodes polling it are alive. Read inside the pass's transaction, after its locks.
 */

const FRESHNESS_READ = /\b(?:fresh|age)\s*\[\s*"([^"]+)"\s*\]/g;

/** The signals whose freshness or age the rule reads: a no-data rule reads at least one. */
export function freshnessSignals(rule: ActiveRule): Set<string> {
  const out = new Set<string>();
  for (const source of [rule.fire.source, rule.clear?.source ?? ""])
    for (const m of source.matchAll(FRESHNESS_READ)) out.add(m[1]!);
  return out;
}

/**
 * The scope facts of the components (path, template pin, system types), through the ingest
 * writer's per-process cache: its digest read in one statement, the facts re-read only when it
 * moved.
 */
export async function readComponentFacts(
  tx: Transaction,
  componentIds: readonly string[],
): Promise<Map<string, ComponentFacts>> {
  const ids = [...new Set(componentIds)].sort();
  const digest = await tx.execute(sql`select ${factsDigestOf(ids)} as digest`);
  return componentFactsFor(tx, ids, (digest.rows[0] as { digest: string }).digest);
}

export interface StoredValue {
  value: unknown;
  ms: number;
  fresh: boolean;
  staleMs: number | null;
  previous: unknown;
  intervalMs: number | null;
}

/** Stored current values of `signals` on the components, keyed `component|instance|signal`. */
export async function readStoredValues(
  tx: Transaction,
  componentIds: readonly string[],
  signals: readonly string[],
  { withPrevious }: { withPrevious: boolean },
): Promise<Map<string, StoredValue>> {
  const result = await tx.execute(sql`
    select s.component_id as c, s.instance as i, g.name as signal, s.value, s.state,
      (extract(epoch from s.ts) * 1000)::float8 as ms,
      (extract(epoch from s.stale_at) * 1000)::float8 as stale_ms,
      s.expected_interval_ms as iv,
      ${
        withPrevious
          ? sql`(select coalesce(to_jsonb(x.num), x.value) from sample x
               where x.series_id = s.id and x.ts < s.ts order by x.ts desc limit 1)`
          : sql`null::jsonb`
      } as previous
    from series s join signal g on g.id = s.signal_id
    where s.component_id = any(${uuidArray(componentIds)}::uuid[])
      and g.name = any(${sql.param([...signals])}::text[]) and s.ts is not null`);
  const out = new Map<string, StoredValue>();
  for (const r of result.rows as {
    c: string;
    i: string;
    signal: string;
    value: unknown;
    state: string;
    ms: number;
    stale_ms: number | null;
    iv: number | null;
    previous: unknown;
  }[])
    out.set(`${r.c}|${r.i}|${r.signal}`, {
      value: r.value,
      ms: Number(r.ms),
      fresh: r.state === "fresh",
      staleMs: r.stale_ms === null ? null : Number(r.stale_ms),
      previous: r.previous ?? undefined,
      intervalMs: r.iv === null ? null : Number(r.iv),
    });
  return out;
}

/** The rule's view of one (component, instance) as of `now`, from stored values only. */
export function storedContext(
  rule: ActiveRule,
  componentId: string,
  instance: string,
  stored: Map<string, StoredValue>,
  now: number,
): { context: RuleContext; newestMs: number | null } {
  const context: RuleContext = { signals: {}, fresh: {}, age: {}, previous: {} };
  let newestMs: number | null = null;
  for (const name of rule.signals) {
    const v = stored.get(`${componentId}|${instance}|${name}`);
    if (!v) continue;
    context.signals[name] = v.value;
    // Fresh as of `now` (which may be past): before its stale time (no stale time: as stored).
    context.fresh[name] = v.staleMs === null ? v.fresh : v.staleMs > now;
    context.age[name] = Math.max(0, (now - v.ms) / 1000);
    if (v.previous !== undefined) context.previous[name] = v.previous;
    newestMs = newestMs === null ? v.ms : Math.max(newestMs, v.ms);
  }
  return { context, newestMs };
}

/**
 * The collector of a component: the nodes polling its interfaces, judged by the node list's
 * liveness rule (online while its last heartbeat is within MISSED_BEATS of its intervals).
 * `down` names a polling node when none of them is online (the health writer's collector-down);
 * `offlineAt` is when the last of the online ones turns offline if it sends no further heartbeat
 * (null: none is online, or no node polls it: nothing to wait for).
 */
export interface Collector {
  down: string | null;
  offlineAt: number | null;
}

export async function readCollectors(
  tx: Transaction,
  componentIds: readonly string[],
  now: number,
): Promise<Map<string, Collector>> {
  const result = await tx.execute(sql`
    select distinct ci.component_id as c, p.name,
      (extract(epoch from coalesce(n.last_seen_at, (n.heartbeat->>'beatAt')::timestamptz)) * 1000)::float8 as seen,
      coalesce((n.heartbeat->>'intervalMs')::bigint, ${DEFAULT_HEARTBEAT_INTERVAL_MS}) as iv
    from component_interface ci
      join node n on n.id = ci.node_id
      join principal p on p.id = n.id
    where ci.component_id = any(${uuidArray(componentIds)}::uuid[])`);
  const out = new Map<string, Collector>();
  const grouped = new Map<string, { name: string; seen: number | null; iv: number }[]>();
  for (const r of result.rows as { c: string; name: string; seen: number | null; iv: number }[]) {
    const list = grouped.get(r.c) ?? [];
    list.push({ name: r.name, seen: r.seen === null ? null : Number(r.seen), iv: Number(r.iv) });
    grouped.set(r.c, list);
  }
  for (const [c, nodes] of grouped) {
    const online = nodes.filter((n) => n.seen !== null && now - n.seen <= MISSED_BEATS * n.iv);
    out.set(c, {
      // Down when no polling node is online (one that never sent a heartbeat counts as down, as
      // in the health writer); named by the first such node.
      down:
        online.length === 0 ? [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1))[0]!.name : null,
      // One millisecond past the boundary: at exactly MISSED_BEATS intervals a node is still online.
      offlineAt:
        online.length === 0
          ? null
          : Math.max(...online.map((n) => n.seen! + MISSED_BEATS * n.iv + 1)),
    });
  }
  return out;
}

/** Sorts tasks by (rule, component, instance): every writer locks episodes in this order. */
export function byEpisodeKey<T extends { ruleId: string; componentId: string; instance: string }>(
  a: T,
  b: T,
): number {
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  if (a.componentId !== b.componentId) return a.componentId < b.componentId ? -1 : 1;
  return a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0;
}

/** The summary an event rule's alarm carries (the ingest writer's wording). */
export const alarmSummary = (rule: ActiveRule, path: string, instance: string) =>
  `${rule.label ?? rule.name} on ${path}${instance ? ` [${instance}]` : ""}`;
