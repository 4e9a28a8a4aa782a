import { sql } from "drizzle-orm";
import { elapse, type EpisodeState } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { openAlarm, type AlarmChange } from "../alarms/transitions";
import { recomputeHealth, type HealthChange } from "../health";
import { COLLECTOR_DOWN_RULE_ID } from "../nodes/collector-rule";
import {
  alarmSummary,
  freshnessSignals,
  readCollectors,
  readComponentFacts,
  readStoredValues,
  ruleApplies,
  storedContext,
  uuids,
} from "./clock-context";
import { loadActiveRules } from "./rule-cache";

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
 * with no later sample to say so. Each is re-judged on the stored current values as of `now`:
 * the fire expression still true, every value it reads only through `signals`/`previous` fresh,
 * and its collector up → the alarm opens, dated when the period ended (`elapse`); anything else
 * (false, undecided, stale, collector down, rule gone or out of scope) → the episode returns to
 * ok and a later sample starts a new period.
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
  const settled: { row: DueRow; state: EpisodeState }[] = [];
  for (const row of rows) {
    const rule = byId.get(row.r);
    const component = facts.get(row.c);
    const cancel = () => settled.push({ row, state: { phase: "ok", since: now } });
    if (!rule || !component || !ruleApplies(rule, component)) {
      cancel();
      continue;
    }
    if (collectors.get(row.c)?.down) {
      // Collector down is not device down: what it alone polls proves nothing either way.
      cancel();
      continue;
    }
    const { context, newestMs } = storedContext(rule, row.c, row.i, stored, now);
    const judgesFreshness = freshnessSignals(rule);
    const trusted = [...rule.signals].every(
      (s) => judgesFreshness.has(s) || context.fresh[s] === true,
    );
    if (rule.fire.evaluate(context) !== true || !trusted) {
      cancel();
      continue;
    }
    const { next, action } = elapse({ phase: "pending", since: row.since }, now, rule.sustainMs);
    if (action.kind !== "open") {
      // Not yet due by the rule's own period (its sustain grew since): wait for it.
      settled.push({ row, state: { phase: "pending", since: row.since } });
      continue;
    }
    const change = await openAlarm(
      tx,
      { ruleId: rule.id, componentId: row.c, instance: row.i },
      {
        openedAt: action.at,
        sampleAt: newestMs ?? action.at,
        value: context.signals,
        severity: rule.severity,
        summary: alarmSummary(rule, component.path, row.i),
        flapWindowMs: rule.flapWindowMs,
        flapThreshold: rule.flapThreshold,
      },
    );
    if (change) alarms.push(change);
    settled.push({ row, state: next });
  }

  const sustainOf = (r: string) => byId.get(r)?.sustainMs ?? 0;
  await tx.execute(sql`
    update rule_episode e set phase = u.phase,
      since = timestamptz 'epoch' + u.since * interval '1 millisecond',
      due_at = case when u.phase = 'pending'
        then timestamptz 'epoch' + (u.since + u.sustain) * interval '1 millisecond' end,
      updated_at = now()
    from unnest(${uuids(settled.map((s) => s.row.r))}::uuid[],
                ${uuids(settled.map((s) => s.row.c))}::uuid[],
                ${sql.param(settled.map((s) => s.row.i))}::text[],
                ${sql.param(settled.map((s) => s.state.phase))}::text[],
                ${`{${settled.map((s) => Math.trunc(s.state.since)).join(",")}}`}::bigint[],
                ${`{${settled.map((s) => sustainOf(s.row.r)).join(",")}}`}::bigint[])
      as u(r, c, i, phase, since, sustain)
    where e.rule_id = u.r and e.component_id = u.c and e.instance = u.i`);
  const changed = [...new Set(alarms.map((a) => a.componentId!))].sort();
  const health = await recomputeHealth(tx, { componentIds: changed });
  return { taken: rows.length, alarms, componentIds: changed, health };
}
