import { sql } from "drizzle-orm";
import { step, type EpisodeState, type RuleContext } from "@omniglass/domain";
import type { Transaction } from "../db";
import { openAlarm, resolveAlarmByClear, type AlarmChange } from "../alarms/transitions";
import { loadActiveRules, type ActiveRule } from "./rule-cache";

/** A sample the writer stored (its shape in the writer). */
export interface StoredSample {
  seriesId: number;
  sample: {
    ownerKind: string;
    ownerId: string;
    signal: string;
    instance: string;
    ts: number;
    value: unknown;
  };
}

interface RuleSample {
  signal: string;
  ts: number;
  value: unknown;
  seriesId: number;
}

interface Current {
  value: unknown;
  ms: number;
  fresh: boolean;
  staleMs: number | null;
  previous: unknown;
}

const uuids = (ids: string[]) => `{${ids.join(",")}}`;

/** Whether `rule` applies to the component (template pin, scope). */
function applies(
  rule: ActiveRule,
  c: { id: string; path: string; templateId: string; types: string[] },
): boolean {
  switch (rule.scopeKind) {
    case "all":
      return true;
    case "template":
      return rule.scopeRef === c.templateId;
    case "owner":
      return rule.scopeRef === c.id;
    case "location":
      return rule.scopeRef !== null && c.path.startsWith(`${rule.scopeRef}.`);
    case "system-type":
      return rule.scopeRef !== null && c.types.includes(rule.scopeRef);
  }
}

/**
 * Evaluates the enabled rules on what a batch just wrote, in the batch's transaction (DESIGN.md
 * §8: we act on each change as it commits). Only rules reading a signal of the batch are looked
 * at; for each (rule, component, instance) the episode row is locked (sorted, so writers queue
 * instead of deadlocking), the current values are read after the lock, and the batch's samples are
 * stepped through in time order — a batch spanning a sustain period opens the alarm dated when
 * the period ended. Samples older than the episode's phase are not replayed (redelivery, late data).
 * Costs one statement (the rules' stamp) when nothing applies, five when rules apply and nothing
 * changes, plus a few per transition.
 */
export async function evaluateRulesOnIngest(
  tx: Transaction,
  stored: readonly StoredSample[],
): Promise<AlarmChange[]> {
  if (!stored.some((s) => s.sample.ownerKind === "component")) return [];
  const { bySignal } = await loadActiveRules(tx);
  if (bySignal.size === 0) return [];

  // (component, instance) → its batch samples of signals some rule reads.
  const groups = new Map<
    string,
    { componentId: string; instance: string; samples: RuleSample[] }
  >();
  for (const { sample: x, seriesId } of stored) {
    if (x.ownerKind !== "component" || !bySignal.has(x.signal)) continue;
    const key = `${x.ownerId}|${x.instance}`;
    let g = groups.get(key);
    if (!g) {
      g = { componentId: x.ownerId, instance: x.instance, samples: [] };
      groups.set(key, g);
    }
    g.samples.push({ signal: x.signal, ts: x.ts, value: x.value, seriesId });
  }
  if (groups.size === 0) return [];

  const componentIds = [...new Set([...groups.values()].map((g) => g.componentId))].sort();
  const facts = await tx.execute(sql`
    select c.id, c.path, c.template_id as "templateId",
      coalesce(array_agg(distinct y.type_id::text) filter (where y.type_id is not null), '{}') as types
    from component c
      left join system_member m on m.component_id = c.id
      left join system y on y.id = m.system_id
    where c.id = any(${uuids(componentIds)}::uuid[])
    group by c.id`);
  const byId = new Map(
    (facts.rows as { id: string; path: string; templateId: string; types: string[] }[]).map((r) => [
      r.id,
      r,
    ]),
  );

  interface Task {
    rule: ActiveRule;
    componentId: string;
    path: string;
    instance: string;
    samples: RuleSample[];
  }
  const tasks: Task[] = [];
  for (const g of groups.values()) {
    const c = byId.get(g.componentId);
    if (!c) continue;
    const rules = new Set<ActiveRule>();
    for (const s of g.samples) for (const r of bySignal.get(s.signal) ?? []) rules.add(r);
    for (const rule of rules) {
      if (!applies(rule, c)) continue;
      tasks.push({
        rule,
        componentId: g.componentId,
        path: c.path,
        instance: g.instance,
        samples: g.samples.filter((s) => rule.signals.has(s.signal)).sort((a, b) => a.ts - b.ts),
      });
    }
  }
  if (tasks.length === 0) return [];
  tasks.sort((a, b) =>
    a.rule.id !== b.rule.id
      ? a.rule.id < b.rule.id
        ? -1
        : 1
      : a.componentId !== b.componentId
        ? a.componentId < b.componentId
          ? -1
          : 1
        : a.instance < b.instance
          ? -1
          : a.instance > b.instance
            ? 1
            : 0,
  );

  // The episodes, created when new and locked in key order.
  const keys = {
    rule: uuids(tasks.map((t) => t.rule.id)),
    component: uuids(tasks.map((t) => t.componentId)),
    instance: tasks.map((t) => t.instance),
  };
  await tx.execute(sql`
    insert into rule_episode (rule_id, component_id, instance, phase, since)
    select u.r, u.c, u.i, 'ok', timestamptz 'epoch'
    from unnest(${keys.rule}::uuid[], ${keys.component}::uuid[], ${sql.param(keys.instance)}::text[]) as u(r, c, i)
    order by u.r, u.c, u.i
    on conflict do nothing`);
  const locked = await tx.execute(sql`
    select e.rule_id as r, e.component_id as c, e.instance as i, e.phase,
      (extract(epoch from e.since) * 1000)::float8 as since
    from rule_episode e
      join unnest(${keys.rule}::uuid[], ${keys.component}::uuid[], ${sql.param(keys.instance)}::text[]) as u(r, c, i)
        on e.rule_id = u.r and e.component_id = u.c and e.instance = u.i
    order by e.rule_id, e.component_id, e.instance
    for update of e`);
  const episodes = new Map(
    (
      locked.rows as {
        r: string;
        c: string;
        i: string;
        phase: EpisodeState["phase"];
        since: number;
      }[]
    ).map((e) => [
      `${e.r}|${e.c}|${e.i}`,
      { phase: e.phase, since: Number(e.since) } as EpisodeState,
    ]),
  );

  // Current values (read after the lock), and the value before each series' first batch sample.
  const signals = [...new Set(tasks.flatMap((t) => [...t.rule.signals]))].sort();
  const firstOf = new Map<number, number>();
  for (const t of tasks)
    for (const s of t.samples)
      if (!firstOf.has(s.seriesId) || firstOf.get(s.seriesId)! > s.ts)
        firstOf.set(s.seriesId, s.ts);
  const readsPrevious = tasks.some((t) => t.rule.readsPrevious);
  const firsts = [...firstOf.entries()];
  const values = await tx.execute(sql`
    select s.component_id as c, s.instance as i, g.name as signal, s.value,
      (extract(epoch from s.ts) * 1000)::float8 as ms, s.state,
      (extract(epoch from s.stale_at) * 1000)::float8 as stale_ms,
      ${
        readsPrevious
          ? sql`(select coalesce(to_jsonb(x.num), x.value) from sample x
               where x.series_id = s.id
                 and x.ts < coalesce(timestamptz 'epoch' + f.first * interval '1 millisecond', s.ts)
               order by x.ts desc limit 1)`
          : sql`null::jsonb`
      } as previous
    from series s
      join signal g on g.id = s.signal_id
      left join unnest(${`{${firsts.map((f) => f[0]).join(",")}}`}::bigint[],
                       ${`{${firsts.map((f) => Math.trunc(f[1])).join(",")}}`}::bigint[]) as f(sid, first)
        on f.sid = s.id
    where s.component_id = any(${uuids(componentIds)}::uuid[])
      and g.name = any(${sql.param(signals)}::text[]) and s.ts is not null`);
  const current = new Map<string, Current>();
  for (const r of values.rows as {
    c: string;
    i: string;
    signal: string;
    value: unknown;
    ms: number;
    state: string;
    stale_ms: number | null;
    previous: unknown;
  }[]) {
    current.set(`${r.c}|${r.i}|${r.signal}`, {
      value: r.value,
      ms: Number(r.ms),
      fresh: r.state === "fresh",
      staleMs: r.stale_ms === null ? null : Number(r.stale_ms),
      previous: r.previous ?? undefined,
    });
  }

  const changes: AlarmChange[] = [];
  const moved: { key: string; task: Task; state: EpisodeState }[] = [];
  for (const task of tasks) {
    const key = `${task.rule.id}|${task.componentId}|${task.instance}`;
    const start = episodes.get(key);
    if (!start) continue;
    let state = start;
    const points = [...new Set(task.samples.map((s) => s.ts))];
    for (const point of points) {
      if (point < state.since) continue;
      const context = contextAt(task, point, current);
      const evaluation = {
        fire: task.rule.fire.evaluate(context),
        clear: task.rule.clear ? task.rule.clear.evaluate(context) : null,
        hasClear: task.rule.clear !== null,
        at: point,
      };
      const { next, action } = step(state, evaluation, task.rule.sustainMs);
      state = next;
      const owner = {
        ruleId: task.rule.id,
        componentId: task.componentId,
        instance: task.instance,
      };
      if (action.kind === "open") {
        const change = await openAlarm(tx, owner, {
          openedAt: action.at,
          sampleAt: point,
          value: context.signals,
          severity: task.rule.severity,
          summary: `${task.rule.label ?? task.rule.name} on ${task.path}${task.instance ? ` [${task.instance}]` : ""}`,
          flapWindowMs: task.rule.flapWindowMs,
          flapThreshold: task.rule.flapThreshold,
        });
        if (change) changes.push(change);
      } else if (action.kind === "resolve") {
        const change = await resolveAlarmByClear(tx, owner, {
          clearedAt: action.at,
          value: context.signals,
        });
        if (change) changes.push(change);
      }
    }
    if (state.phase !== start.phase || state.since !== start.since)
      moved.push({ key, task, state });
  }
  if (moved.length > 0) {
    await tx.execute(sql`
      update rule_episode e set phase = u.phase,
        since = timestamptz 'epoch' + u.since * interval '1 millisecond',
        due_at = case when u.phase = 'pending'
          then timestamptz 'epoch' + (u.since + u.sustain) * interval '1 millisecond' end,
        updated_at = now()
      from unnest(${uuids(moved.map((m) => m.task.rule.id))}::uuid[],
                  ${uuids(moved.map((m) => m.task.componentId))}::uuid[],
                  ${sql.param(moved.map((m) => m.task.instance))}::text[],
                  ${sql.param(moved.map((m) => m.state.phase))}::text[],
                  ${`{${moved.map((m) => Math.trunc(m.state.since)).join(",")}}`}::bigint[],
                  ${`{${moved.map((m) => m.task.rule.sustainMs).join(",")}}`}::bigint[])
        as u(r, c, i, phase, since, sustain)
      where e.rule_id = u.r and e.component_id = u.c and e.instance = u.i`);
  }
  return changes;
}

/**
 * The rule's view of one (component, instance) at `point`: for each signal it reads, the newest
 * batch sample at or before `point`, else the stored current value.
 */
function contextAt(
  task: { rule: ActiveRule; componentId: string; instance: string; samples: RuleSample[] },
  point: number,
  current: Map<string, Current>,
): RuleContext {
  const context: RuleContext = { signals: {}, fresh: {}, age: {}, previous: {} };
  for (const name of task.rule.signals) {
    let latest: RuleSample | undefined;
    let before: RuleSample | undefined;
    for (const s of task.samples) {
      if (s.signal !== name || s.ts > point) continue;
      before = latest;
      latest = s;
    }
    const stored = current.get(`${task.componentId}|${task.instance}|${name}`);
    if (latest) {
      context.signals[name] = latest.value;
      context.fresh[name] = true;
      context.age[name] = Math.max(0, (point - latest.ts) / 1000);
      const previous = before ? before.value : stored?.previous;
      if (previous !== undefined) context.previous[name] = previous;
    } else if (stored) {
      context.signals[name] = stored.value;
      context.fresh[name] = stored.fresh && (stored.staleMs === null || stored.staleMs > point);
      context.age[name] = Math.max(0, (point - stored.ms) / 1000);
      if (stored.previous !== undefined) context.previous[name] = stored.previous;
    }
  }
  return context;
}
