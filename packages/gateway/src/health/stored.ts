import type { Cause, Judgement, OpenAlarm, Verdict } from "@omniglass/domain";
import type { StoredHealth } from "./types";

/** The columns of a stored health row as the stages' statements return them (prefixed h_). */
export interface StoredColumns {
  h_verdict: Verdict | null;
  h_since: Date | string | null;
  h_causes: Cause[] | null;
  h_leaves: Cause[] | null;
  h_explanation: string | null;
}

/** The stored-row columns of `health` aliased `h`, for the stages' selects. */
export const STORED_COLUMNS = `h.verdict as h_verdict, h.since as h_since, h.causes as h_causes,
  h.leaves as h_leaves, h.explanation as h_explanation`;

export function storedOf(row: StoredColumns): StoredHealth | null {
  if (!row.h_verdict || !row.h_since) return null;
  return {
    verdict: row.h_verdict,
    since: new Date(row.h_since),
    explanation: row.h_explanation ?? "",
    judgement: {
      verdict: row.h_verdict,
      causes: row.h_causes ?? [],
      leaves: row.h_leaves ?? [],
    },
  };
}

/** A member's or child's judgement as stored (its row), for the owner above it. */
export const judgementOf = (row: {
  verdict: Verdict;
  causes: Cause[] | null;
  leaves: Cause[] | null;
}): Judgement => ({ verdict: row.verdict, causes: row.causes ?? [], leaves: row.leaves ?? [] });

/** Open alarms as the statements aggregate them (json_agg), worst first. */
export type AlarmsColumn = OpenAlarm[] | null;

/** jsonb comes back with its keys reordered: compare judgements key-order-free. */
export function sameJudgement(a: Judgement, b: Judgement): boolean {
  return (
    a.verdict === b.verdict &&
    canonical(a.causes) === canonical(b.causes) &&
    canonical(a.leaves) === canonical(b.leaves)
  );
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The aggregate of an owner's open alarms (info does not judge, so it is not read). The summary
 * drops its " on <owner path>" (rules word it "unreachable on hq.room.display"): the cause names
 * the owner already.
 */
export const OPEN_ALARMS = (ownerColumn: string, ownerExpr: string, pathExpr: string) => `coalesce((
    select json_agg(json_build_object('id', a.id, 'rule', r.name, 'severity', a.severity,
      'summary', replace(a.summary, ' on ' || ${pathExpr}, ''))
      order by a.severity = 'critical' desc, a.opened_at, a.id)
    from alarm a join event_rule r on r.id = a.rule_id
    where a.${ownerColumn} = ${ownerExpr} and a.lifecycle = 'open' and a.severity <> 'info'
  ), '[]'::json)`;
