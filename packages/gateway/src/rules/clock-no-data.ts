import { sql } from "drizzle-orm";
import { step, type EpisodeState, type RuleContext } from "@omniglass/domain";
import type { Transaction } from "../db";
import {
  openAlarm,
  resolveAlarmByClear,
  withCascade,
  type AlarmChange,
} from "../alarms/transitions";
import { planSuppressions } from "../suppress/decide-suppression";
import { COLLECTOR_DOWN_RULE_ID } from "../nodes/collector-rule";
import {
  alarmSummary,
  freshnessSignals,
  readCollectors,
  readComponentFacts,
  readStoredValues,
  storedContext,
  type StoredValue,
} from "./clock-context";
import { loadActiveRules, type ActiveRule } from "./rule-cache";
import { ruleAppliesTo, uuidArray } from "./component-facts";

/** A series whose freshness changed without a sample: the clock turned it stale. */
export interface FreshnessChange {
  componentId: string;
  instance: string;
  signal: string;
}

interface Task {
  rule: ActiveRule;
  componentId: string;
  path: string;
  instance: string;
  /** No alarm opens before this (ms): the collector must be known alive past the silence. */
  holdUntil: number;
}

/**
 * No-data: the rules reading `fresh["…"]` or `age["…"]` of a series the clock just turned stale,
 * judged in the transaction that turned it (so once per transition: a second worker's update
 * finds the series already stale and returns nothing). Components whose collector is down are
 * not judged: their silence is the node's, and the node has its own alarm. While the polling
 * node is still online but could yet turn out down (its last heartbeat is less than MISSED_BEATS
 * intervals old), a firing episode waits as pending until that is settled; the clock's sustain
 * pass then opens it, dated when the silence began (plus the rule's sustain), or cancels it if
 * the collector went down meanwhile. `holdIntervals` (of the series' expected interval) lets a caller
 * wait longer, e.g. after a node came back, for its first poll.
 */
export async function evaluateNoDataRules(
  tx: Transaction,
  changes: readonly FreshnessChange[],
  now: number,
  { holdIntervals = 0 }: { holdIntervals?: number } = {},
): Promise<AlarmChange[]> {
  if (changes.length === 0) return [];
  const { rules } = await loadActiveRules(tx);
  const noData = rules
    .filter((r) => r.id !== COLLECTOR_DOWN_RULE_ID)
    .map((rule) => ({ rule, reads: freshnessSignals(rule) }))
    .filter((r) => r.reads.size > 0);
  if (noData.length === 0) return [];

  const groups = new Map<string, { componentId: string; instance: string; signals: Set<string> }>();
  for (const c of changes) {
    const key = `${c.componentId}|${c.instance}`;
    const g = groups.get(key) ?? {
      componentId: c.componentId,
      instance: c.instance,
      signals: new Set(),
    };
    g.signals.add(c.signal);
    groups.set(key, g);
  }
  const componentIds = [...new Set(changes.map((c) => c.componentId))].sort();
  const facts = await readComponentFacts(tx, componentIds);
  const collectors = await readCollectors(tx, componentIds, now);

  const candidates: Omit<Task, "holdUntil">[] = [];
  for (const g of groups.values()) {
    const c = facts.get(g.componentId);
    if (!c || collectors.get(g.componentId)?.down) continue;
    for (const { rule, reads } of noData) {
      if (![...reads].some((s) => g.signals.has(s)) || !ruleAppliesTo(rule, c)) continue;
      candidates.push({ rule, componentId: g.componentId, path: c.path, instance: g.instance });
    }
  }
  if (candidates.length === 0) return [];

  const keys = {
    rule: uuidArray(candidates.map((t) => t.rule.id)),
    component: uuidArray(candidates.map((t) => t.componentId)),
    instance: candidates.map((t) => t.instance),
  };
  await tx.execute(sql`
    insert into rule_episode (rule_id, component_id, instance, phase, since)
    select u.r, u.c, u.i, 'ok', timestamptz 'epoch'
    from unnest(${keys.rule}::uuid[], ${keys.component}::uuid[], ${sql.param(keys.instance)}::text[]) as u(r, c, i)
    order by u.r, u.c, u.i
    on conflict do nothing`);
  // Locked in the ingest writer's order (rule, component, instance), so the two queue, never deadlock.
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
  const signals = [...new Set(candidates.flatMap((t) => [...t.rule.signals]))].sort();
  const stored = await readStoredValues(tx, componentIds, signals, {
    withPrevious: candidates.some((t) => t.rule.readsPrevious),
  });
  const holdOf = (t: Omit<Task, "holdUntil">): number => {
    let hold = collectors.get(t.componentId)?.offlineAt ?? 0;
    if (holdIntervals > 0)
      for (const s of t.rule.signals) {
        const v: StoredValue | undefined = stored.get(`${t.componentId}|${t.instance}|${s}`);
        if (v?.intervalMs) hold = Math.max(hold, now + holdIntervals * v.intervalMs);
      }
    return hold;
  };

  const alarms: AlarmChange[] = [];
  const moved: { task: Task; state: EpisodeState; dueAt: number | null }[] = [];
  const acting: {
    task: Task;
    action: { kind: "open" | "resolve"; at: number };
    context: RuleContext;
  }[] = [];
  for (const c of candidates) {
    const task: Task = { ...c, holdUntil: holdOf(c) };
    const start = episodes.get(`${task.rule.id}|${task.componentId}|${task.instance}`);
    if (!start) continue;
    const { context } = storedContext(task.rule, task.componentId, task.instance, stored, now);
    const evaluation = {
      fire: task.rule.fire.evaluate(context),
      clear: task.rule.clear ? task.rule.clear.evaluate(context) : null,
      hasClear: task.rule.clear !== null,
      at: now,
    };
    let { next, action } = step(start, evaluation, task.rule.sustainMs);
    let dueAt: number | null = next.phase === "pending" ? next.since + task.rule.sustainMs : null;
    if (action.kind === "open" && task.holdUntil > now) {
      // Fired, but the collector is not yet known alive past the silence: wait (dated as fired).
      next = { phase: "pending", since: action.at - task.rule.sustainMs };
      action = { kind: "pend", dueAt: task.holdUntil };
    }
    if (next.phase === "pending") dueAt = Math.max(dueAt ?? 0, task.holdUntil);
    if (action.kind === "open" || action.kind === "resolve") acting.push({ task, action, context });
    if (next.phase !== start.phase || next.since !== start.since || action.kind === "pend")
      moved.push({ task, state: next, dueAt });
  }
  // Openings roots first on one suppression plan (a switch gone quiet before the display behind it).
  const subjectOf = (task: Task) => ({
    ruleId: task.rule.id,
    owner: { kind: "component" as const, id: task.componentId },
    severity: task.rule.severity,
  });
  const opening = acting.filter((a) => a.action.kind === "open").map((a) => subjectOf(a.task));
  const plan = opening.length > 0 ? await planSuppressions(tx, opening, new Date(now)) : undefined;
  if (plan && opening.length > 1)
    acting.sort((a, b) => plan.rank(subjectOf(a.task)) - plan.rank(subjectOf(b.task)));
  for (const { task, action, context } of acting) {
    const owner = { ruleId: task.rule.id, componentId: task.componentId, instance: task.instance };
    if (action.kind === "open") {
      const change = await openAlarm(
        tx,
        owner,
        {
          openedAt: action.at,
          sampleAt: now,
          value: context,
          severity: task.rule.severity,
          summary: alarmSummary(task.rule, task.path, task.instance),
          flapWindowMs: task.rule.flapWindowMs,
          flapThreshold: task.rule.flapThreshold,
          now,
        },
        { plan },
      );
      alarms.push(...withCascade(change));
    } else {
      const change = await resolveAlarmByClear(tx, owner, {
        clearedAt: action.at,
        value: context,
        now,
      });
      alarms.push(...withCascade(change));
    }
  }
  if (moved.length > 0)
    await tx.execute(sql`
      update rule_episode e set phase = u.phase,
        since = timestamptz 'epoch' + u.since * interval '1 millisecond',
        due_at = case when u.phase = 'pending'
          then timestamptz 'epoch' + u.due * interval '1 millisecond' end,
        updated_at = now()
      from unnest(${uuidArray(moved.map((m) => m.task.rule.id))}::uuid[],
                  ${uuidArray(moved.map((m) => m.task.componentId))}::uuid[],
                  ${sql.param(moved.map((m) => m.task.instance))}::text[],
                  ${sql.param(moved.map((m) => m.state.phase))}::text[],
                  ${`{${moved.map((m) => Math.trunc(m.state.since)).join(",")}}`}::bigint[],
                  ${`{${moved.map((m) => Math.trunc(m.dueAt ?? 0)).join(",")}}`}::bigint[])
        as u(r, c, i, phase, since, due)
      where e.rule_id = u.r and e.component_id = u.c and e.instance = u.i`);
  return alarms;
}
