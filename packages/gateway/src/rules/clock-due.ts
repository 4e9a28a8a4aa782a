import { sql } from "drizzle-orm";
import { elapse, type EpisodeState } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { openAlarm, withCascade, type AlarmChange } from "../alarms/transitions";
import { planSuppressions } from "../suppress/decide-suppression";
import { recomputeHealth, type HealthChange } from "../health";
import { COLLECTOR_DOWN_RULE_ID } from "../nodes/collector-rule";
import {
  alarmSummary,
  freshnessSignals,
  readCollectors,
  readComponentFacts,
  readStoredValues,
  storedContext,
} from "./clock-context";
import { loadActiveRules } from "./rule-cache";
import { ruleAppliesTo, uuidArray } from "./component-facts";

/** Episodes taken per pass: a backlog (after a restart) drains over a few seconds. */
export const DUE_BATCH = 500;

export interface DuePassResult {
  /** Due episodes looked at (locked) by this pass. */
  taken: number;
  alarms: AlarmChange[];
  /** Components whose alarms changed: their health was recomputed in the same transaction. */
  componentIds: string[];
  health: HealthChange[];
}

interface DueRow {
  r: string;
  c: string;
  i: string;
  since: number;
}

/**
 * The clock's sustain pass: pending episodes whose sustain period has ended (`due_at <= now`)
 * with no later sample to say so. Each is judged again on the stored current values as they
 * stood at the end of the period (a value counts if it was still fresh then):
 *
 * - fire true, every value it reads through `signals`/`previous` fresh, collector up → the alarm
 *   opens, dated when the period ended (`elapse`);
 * - fire false, the rule gone or out of scope, or a no-data rule whose collector is down → the
 *   episode returns to ok;
 * - undecided, a value gone stale before the end, or the collector down → parked: still pending
 *   with no due time, so the next sample decides (ingest steps it in sample time) — nothing opens
 *   on a value that stopped arriving, and a late or replayed stream is not cut short.
 *
 * Rows are taken `for update skip locked` in a bounded batch: two workers running the clock
 * split the due rows instead of judging one twice, a row an ingest batch holds is left to that
 * batch, and the partial unique index on open alarms stands behind both. A pass that dies
 * before its commit changes nothing: the rows are still due for the next pass (or the next
 * worker after a restart).
 */
export async function unsafeElapseDueEpisodes(
  db: Database,
  { now = new Date(), limit = DUE_BATCH }: { now?: Date; limit?: number } = {},
): Promise<DuePassResult> {
  return db.transaction((tx) => elapseDue(tx, now.getTime(), limit));
}

/** The due episodes, oldest first, through the partial index `rule_episode_due_idx`. */
export const dueEpisodes = (now: number, limit: number) => sql`
  select rule_id as r, component_id as c, instance as i,
    (extract(epoch from since) * 1000)::float8 as since
  from rule_episode
  where phase = 'pending' and due_at <= ${new Date(now).toISOString()}::timestamptz
  order by due_at
  limit ${limit}
  for update skip locked`;

async function elapseDue(tx: Transaction, now: number, limit: number): Promise<DuePassResult> {
  const due = await tx.execute(dueEpisodes(now, limit));
  const rows = (due.rows as unknown as DueRow[]).map((r) => ({ ...r, since: Number(r.since) }));
  if (rows.length === 0) return { taken: 0, alarms: [], componentIds: [], health: [] };

  const { rules } = await loadActiveRules(tx);
  const byId = new Map(rules.filter((r) => r.id !== COLLECTOR_DOWN_RULE_ID).map((r) => [r.id, r]));
  const componentIds = [...new Set(rows.map((r) => r.c))].sort();
  const signals = new Set<string>();
  let withPrevious = false;
  for (const row of rows) {
    const rule = byId.get(row.r);
    if (!rule) continue;
    for (const s of rule.signals) signals.add(s);
    withPrevious ||= rule.readsPrevious;
  }
  const [facts, collectors, stored] = [
    await readComponentFacts(tx, componentIds),
    await readCollectors(tx, componentIds, now),
    await readStoredValues(tx, componentIds, [...signals].sort(), { withPrevious }),
  ];

  const alarms: AlarmChange[] = [];
  const opening: {
    target: { ruleId: string; componentId: string; instance: string };
    fired: Parameters<typeof openAlarm>[2];
  }[] = [];
  // Each due row ends ok (cancelled), firing (opened), pending again (its period grew), or
  // parked: still pending with no due time, left to the next sample (ingest steps it in sample
  // time, as it would have without the clock).
  const settled: { row: DueRow; state: EpisodeState; dueAt: number | null }[] = [];
  for (const row of rows) {
    const rule = byId.get(row.r);
    const component = facts.get(row.c);
    const cancel = () => settled.push({ row, state: { phase: "ok", since: now }, dueAt: null });
    const park = () =>
      settled.push({ row, state: { phase: "pending", since: row.since }, dueAt: null });
    if (!rule || !component || !ruleAppliesTo(rule, component)) {
      cancel();
      continue;
    }
    const judgesFreshness = freshnessSignals(rule);
    if (collectors.get(row.c)?.down) {
      // Collector down is not device down: its silence is not the device's (a no-data rule starts
      // over), and what it sent last proves nothing new (the next sample decides).
      if (judgesFreshness.size > 0) cancel();
      else park();
      continue;
    }
    const end = row.since + rule.sustainMs;
    if (end > now) {
      // Not yet due by the rule's own period (its sustain grew since): wait for it.
      settled.push({ row, state: { phase: "pending", since: row.since }, dueAt: end });
      continue;
    }
    // Judged as of the end of the period, in sample time: a value counts if it was still fresh
    // then (a late or replayed stream is judged as it was, not by today's clock).
    const { context, newestMs } = storedContext(rule, row.c, row.i, stored, end);
    const trusted = [...rule.signals].every(
      (s) => judgesFreshness.has(s) || context.fresh[s] === true,
    );
    const fire = rule.fire.evaluate(context);
    if (fire === false) {
      cancel();
      continue;
    }
    if (fire !== true || !trusted) {
      park();
      continue;
    }
    const { next, action } = elapse({ phase: "pending", since: row.since }, now, rule.sustainMs);
    if (action.kind !== "open") {
      park();
      continue;
    }
    opening.push({
      target: { ruleId: rule.id, componentId: row.c, instance: row.i },
      fired: {
        openedAt: action.at,
        sampleAt: newestMs ?? action.at,
        value: context.signals,
        severity: rule.severity,
        summary: alarmSummary(rule, component.path, row.i),
        flapWindowMs: rule.flapWindowMs,
        flapThreshold: rule.flapThreshold,
        now,
      },
    });
    settled.push({ row, state: next, dueAt: null });
  }
  // Roots before dependents (a switch, its control processor, the display behind both), so
  // the later openings of the pass see the earlier ones as their root.
  if (opening.length > 0) {
    const subjectOf = (o: (typeof opening)[number]) => ({
      ruleId: o.target.ruleId,
      owner: { kind: "component" as const, id: o.target.componentId },
      severity: o.fired.severity,
    });
    const plan = await planSuppressions(tx, opening.map(subjectOf), new Date(now));
    opening.sort((a, b) => plan.rank(subjectOf(a)) - plan.rank(subjectOf(b)));
    for (const o of opening)
      alarms.push(...withCascade(await openAlarm(tx, o.target, o.fired, { plan })));
  }

  await tx.execute(sql`
    update rule_episode e set phase = u.phase,
      since = timestamptz 'epoch' + u.since * interval '1 millisecond',
      due_at = case when u.phase = 'pending' and u.due > 0
        then timestamptz 'epoch' + u.due * interval '1 millisecond' end,
      updated_at = now()
    from unnest(${uuidArray(settled.map((s) => s.row.r))}::uuid[],
                ${uuidArray(settled.map((s) => s.row.c))}::uuid[],
                ${sql.param(settled.map((s) => s.row.i))}::text[],
                ${sql.param(settled.map((s) => s.state.phase))}::text[],
                ${`{${settled.map((s) => Math.trunc(s.state.since)).join(",")}}`}::bigint[],
                ${`{${settled.map((s) => Math.trunc(s.dueAt ?? 0)).join(",")}}`}::bigint[])
      as u(r, c, i, phase, since, due)
    where e.rule_id = u.r and e.component_id = u.c and e.instance = u.i`);
  const changed = [
    ...new Set(
      alarms.flatMap((a) => (a.kind === "opened" || a.kind === "reopened" ? [a.componentId!] : [])),
    ),
  ].sort();
  const health = await recomputeHealth(tx, { componentIds: changed });
  return { taken: rows.length, alarms, componentIds: changed, health };
}
