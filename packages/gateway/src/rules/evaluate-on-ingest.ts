import { sql } from "drizzle-orm";
import type { EpisodeState } from "@omniglass/domain";
import type { Transaction } from "../db";
import {
  openAlarm,
  resolveAlarmByClear,
  withCascade,
  type AlarmChange,
} from "../alarms/transitions";
import { planSuppressions } from "../suppress/decide-suppression";
import {
  componentFactsFor,
  factsDigestOf,
  uuidArray,
  type ComponentFacts,
} from "./component-facts";
import { replayEpisode, UNTOUCHED, type CurrentValue, type EpisodeTask } from "./episode-replay";
import { buildTasks, keyOf, type StoredSample } from "./episode-tasks";
import { activeRulesAt, peekActiveRules, RULES_STAMP, type RuleCache } from "./rule-cache";

export type { StoredSample } from "./episode-tasks";

type EpisodeRow = { r: string; c: string; i: string; phase: EpisodeState["phase"]; since: number };

const byKey = (a: EpisodeTask, b: EpisodeTask) =>
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
          : 0;

/** The batch's components that carry a signal some rule of `rules` reads (all: no rules known). */
function componentsJudged(stored: readonly StoredSample[], rules: RuleCache | null): string[] {
  const ids = new Set<string>();
  let last = "";
  for (const { sample: x } of stored)
    if (
      x.ownerId !== last &&
      x.ownerKind === "component" &&
      (!rules || rules.bySignal.has(x.signal))
    ) {
      ids.add(x.ownerId);
      last = x.ownerId;
    }
  return [...ids].sort();
}

/**
 * Evaluates the enabled rules on what a batch just wrote, in the batch's transaction (DESIGN.md
 * §8: we act on each change as it commits). Only rules reading a signal of the batch, and
 * applying to the sample's component, are looked at.
 *
 * Built so that the steady state (an episode that stays ok, pending or firing) takes no row lock
 * and writes nothing: the episodes are read without locking (a missing row is "ok since the
 * epoch": rows are created when they first move) and every (rule, component, instance) is
 * replayed in memory. Only the few whose state would change are then created, locked (sorted,
 * so writers queue instead of deadlocking), re-read and replayed again on what the lock shows —
 * a writer that got there first has moved them, and the second replay sees it. Two writers of
 * one series are also queued by the series row lock the writer takes before this runs.
 * A batch spanning a sustain period opens the alarm dated when the period ended; samples older
 * than the episode's phase are not replayed (redelivery, late data).
 *
 * Statements: one (the rules' stamp with the components' facts digest) when no rule applies;
 * two in the steady state (plus one when a rule reads a value the batch does not carry, or
 * `previous`); a few more per batch with moves, and per alarm transition.
 */
export async function evaluateRulesOnIngest(
  tx: Transaction,
  stored: readonly StoredSample[],
): Promise<AlarmChange[]> {
  const judged = await rulesAndFacts(tx, stored);
  if (!judged) return [];
  const { rules, facts } = judged;
  const tasks = buildTasks(stored, rules, facts);
  if (tasks.length === 0) return [];

  // The episodes as they stand, without a lock.
  const ruleIds = [...new Set(tasks.map((t) => t.rule.id))].sort();
  const componentIds = [...new Set(tasks.map((t) => t.componentId))].sort();
  const read = await tx.execute(sql`
    select rule_id as r, component_id as c, instance as i, phase,
      (extract(epoch from since) * 1000)::float8 as since
    from rule_episode
    where rule_id = any(${uuidArray(ruleIds)}::uuid[])
      and component_id = any(${uuidArray(componentIds)}::uuid[])`);
  const episodes = episodesOf(read.rows as EpisodeRow[]);
  let current = await readCurrentValues(tx, tasks);

  const moved: EpisodeTask[] = [];
  for (const task of tasks) {
    const start = episodes.get(task.key) ?? UNTOUCHED;
    const { state } = replayEpisode(task, start, current);
    if (state.phase !== start.phase || state.since !== start.since) moved.push(task);
  }
  if (moved.length === 0) return [];

  // The few that move: created when new, locked in key order, re-read and replayed again.
  moved.sort(byKey);
  const fresh = moved.filter((t) => !episodes.has(t.key));
  if (fresh.length > 0)
    await tx.execute(sql`
      insert into rule_episode (rule_id, component_id, instance, phase, since)
      select u.r, u.c, u.i, 'ok', timestamptz 'epoch'
      from unnest(${uuidArray(fresh.map((t) => t.rule.id))}::uuid[],
                  ${uuidArray(fresh.map((t) => t.componentId))}::uuid[],
                  ${sql.param(fresh.map((t) => t.instance))}::text[]) as u(r, c, i)
      where exists (select 1 from component c where c.id = u.c)
      order by u.r, u.c, u.i
      on conflict do nothing`);
  const keys = {
    rule: uuidArray(moved.map((t) => t.rule.id)),
    component: uuidArray(moved.map((t) => t.componentId)),
    instance: moved.map((t) => t.instance),
  };
  const lockedRows = await tx.execute(sql`
    select e.rule_id as r, e.component_id as c, e.instance as i, e.phase,
      (extract(epoch from e.since) * 1000)::float8 as since
    from rule_episode e
      join unnest(${keys.rule}::uuid[], ${keys.component}::uuid[], ${sql.param(keys.instance)}::text[]) as u(r, c, i)
        on e.rule_id = u.r and e.component_id = u.c and e.instance = u.i
    order by e.rule_id, e.component_id, e.instance
    for update of e`);
  const locked = episodesOf(lockedRows.rows as EpisodeRow[]);
  // Stored values read after the lock (a writer that moved the episode may have moved them).
  if (moved.some((t) => t.needsStored)) current = await readCurrentValues(tx, moved);

  const changes: AlarmChange[] = [];
  const settled: { task: EpisodeTask; state: EpisodeState }[] = [];
  const replayed = [];
  for (const task of moved) {
    const start = locked.get(task.key);
    if (!start) continue; // the component was deleted meanwhile
    replayed.push({ task, start, ...replayEpisode(task, start, current) });
  }
  // A batch that opens alarms decides their suppression on one plan, roots first (a switch, its
  // control processor, the display behind both), so later openings see the earlier ones.
  const subjectOf = (task: EpisodeTask) => ({
    ruleId: task.rule.id,
    owner: { kind: "component" as const, id: task.componentId },
    severity: task.rule.severity,
  });
  const opening = replayed.filter((r) => r.actions.some((a) => a.action.kind === "open"));
  const plan =
    opening.length > 0
      ? await planSuppressions(
          tx,
          opening.map((r) => subjectOf(r.task)),
          new Date(),
        )
      : undefined;
  if (plan && opening.length > 1)
    replayed.sort((a, b) => plan.rank(subjectOf(a.task)) - plan.rank(subjectOf(b.task)));
  for (const { task, start, state, actions } of replayed) {
    const owner = { ruleId: task.rule.id, componentId: task.componentId, instance: task.instance };
    for (const { action, point, signals } of actions) {
      if (action.kind === "open") {
        const path = facts.get(task.componentId)!.path;
        const change = await openAlarm(
          tx,
          owner,
          {
            openedAt: action.at,
            sampleAt: point,
            value: signals,
            severity: task.rule.severity,
            summary: `${task.rule.label ?? task.rule.name} on ${path}${task.instance ? ` [${task.instance}]` : ""}`,
            flapWindowMs: task.rule.flapWindowMs,
            flapThreshold: task.rule.flapThreshold,
          },
          { plan },
        );
        changes.push(...withCascade(change));
      } else if (action.kind === "resolve") {
        const change = await resolveAlarmByClear(tx, owner, {
          clearedAt: action.at,
          value: signals,
        });
        changes.push(...withCascade(change));
      }
    }
    if (state.phase !== start.phase || state.since !== start.since) settled.push({ task, state });
  }
  if (settled.length > 0)
    await tx.execute(sql`
      update rule_episode e set phase = u.phase,
        since = timestamptz 'epoch' + u.since * interval '1 millisecond',
        due_at = case when u.phase = 'pending'
          then timestamptz 'epoch' + (u.since + u.sustain) * interval '1 millisecond' end,
        updated_at = now()
      from unnest(${uuidArray(settled.map((m) => m.task.rule.id))}::uuid[],
                  ${uuidArray(settled.map((m) => m.task.componentId))}::uuid[],
                  ${sql.param(settled.map((m) => m.task.instance))}::text[],
                  ${sql.param(settled.map((m) => m.state.phase))}::text[],
                  ${`{${settled.map((m) => Math.trunc(m.state.since)).join(",")}}`}::bigint[],
                  ${`{${settled.map((m) => m.task.rule.sustainMs).join(",")}}`}::bigint[])
        as u(r, c, i, phase, since, sustain)
      where e.rule_id = u.r and e.component_id = u.c and e.instance = u.i`);
  return changes;
}

/**
 * The enabled rules and the facts of the batch's components some rule judges. The components are
 * picked with the rules this process knows, and their facts' digest is read with the rules'
 * stamp in one statement; when the stamp shows other rules, the pick is made again.
 */
async function rulesAndFacts(
  tx: Transaction,
  stored: readonly StoredSample[],
): Promise<{ rules: RuleCache; facts: Map<string, ComponentFacts> } | null> {
  if (!stored.some((s) => s.sample.ownerKind === "component")) return null;
  const known = peekActiveRules();
  let judged = componentsJudged(stored, known);
  const head = await tx.execute(
    sql`select ${RULES_STAMP} as rules, ${factsDigestOf(judged)} as facts`,
  );
  const stamps = head.rows[0] as { rules: string; facts: string };
  const rules = await activeRulesAt(tx, stamps.rules);
  if (rules.bySignal.size === 0) return null;
  let digest = stamps.facts;
  if (rules !== known) {
    const picked = new Set(judged);
    const again = componentsJudged(stored, rules);
    if (again.some((id) => !picked.has(id))) {
      const read = await tx.execute(sql`select ${factsDigestOf(again)} as facts`);
      digest = (read.rows[0] as { facts: string }).facts;
      judged = again;
    }
  }
  if (judged.length === 0) return null;
  return { rules, facts: await componentFactsFor(tx, judged, digest) };
}

function episodesOf(rows: EpisodeRow[]): Map<string, EpisodeState> {
  const out = new Map<string, EpisodeState>();
  for (const e of rows) out.set(keyOf(e.r, e.c, e.i), { phase: e.phase, since: Number(e.since) });
  return out;
}

/**
 * Stored current values of the signals the tasks that need them read (keyed
 * `component|instance|signal`), with the value before each series' first batch sample when a
 * rule reads `previous`. No statement when no task needs one.
 */
async function readCurrentValues(
  tx: Transaction,
  tasks: readonly EpisodeTask[],
): Promise<Map<string, CurrentValue>> {
  const current = new Map<string, CurrentValue>();
  const needing = tasks.filter((t) => t.needsStored);
  if (needing.length === 0) return current;
  const componentIds = [...new Set(needing.map((t) => t.componentId))].sort();
  const signals = [...new Set(needing.flatMap((t) => [...t.rule.signals]))].sort();
  const firstOf = new Map<number, number>();
  for (const t of needing)
    if (t.rule.readsPrevious)
      for (const s of t.samples)
        if (!firstOf.has(s.seriesId) || firstOf.get(s.seriesId)! > s.sample.ts)
          firstOf.set(s.seriesId, s.sample.ts);
  const readsPrevious = needing.some((t) => t.rule.readsPrevious);
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
    where s.component_id = any(${uuidArray(componentIds)}::uuid[])
      and g.name = any(${sql.param(signals)}::text[]) and s.ts is not null`);
  for (const r of values.rows as {
    c: string;
    i: string;
    signal: string;
    value: unknown;
    ms: number;
    state: string;
    stale_ms: number | null;
    previous: unknown;
  }[])
    current.set(`${r.c}|${r.i}|${r.signal}`, {
      value: r.value,
      ms: Number(r.ms),
      fresh: r.state === "fresh",
      staleMs: r.stale_ms === null ? null : Number(r.stale_ms),
      previous: r.previous ?? undefined,
    });
  return current;
}
