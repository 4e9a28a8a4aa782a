import { sql } from "drizzle-orm";
import type { HealthOwnerKind } from "@omniglass/contracts";
import { explain, type Judgement, type Verdict } from "@omniglass/domain";
import type { Transaction } from "../db";
import { sameJudgement } from "./stored";
import type { HealthChange, StoredHealth } from "./types";

const OWNER_TABLE: Record<HealthOwnerKind, string> = {
  component: "component",
  system: "system",
  location: "location",
};

/**
 * Writes the judgements that differ from what is stored, in one statement: the health row
 * (its `since` moves only with its verdict, to the transaction's time) and, for each verdict that
 * moved, one transition. The caller holds the owners' locks, so `stored` is what the row holds.
 * An owner deleted meanwhile is skipped. Returns the verdict changes.
 */
export async function writeHealth(
  tx: Transaction,
  kind: HealthOwnerKind,
  judged: { ownerId: string; judgement: Judgement; stored: StoredHealth | null }[],
): Promise<HealthChange[]> {
  const rows = judged
    .map((j) => ({ ...j, explanation: explain(j.judgement) }))
    .filter(
      (j) =>
        !j.stored ||
        !sameJudgement(j.stored.judgement, j.judgement) ||
        j.stored.explanation !== j.explanation,
    );
  if (rows.length === 0) return [];
  const column = sql.raw(`${kind}_id`);
  const table = sql.raw(OWNER_TABLE[kind]);
  const result = await tx.execute(sql`
    with input as (
      select u.id, u.verdict, u.causes, u.leaves, u.explanation
      from unnest(${sql.param(rows.map((r) => r.ownerId))}::uuid[],
                  ${sql.param(rows.map((r) => r.judgement.verdict))}::text[],
                  ${sql.param(rows.map((r) => JSON.stringify(r.judgement.causes)))}::jsonb[],
                  ${sql.param(rows.map((r) => JSON.stringify(r.judgement.leaves)))}::jsonb[],
                  ${sql.param(rows.map((r) => r.explanation))}::text[])
        as u(id, verdict, causes, leaves, explanation)
      where exists (select 1 from ${table} o where o.id = u.id)
    ), up as (
      insert into health (owner_id, owner_kind, ${column}, verdict, since, causes, leaves,
        explanation, updated_at)
      select id, ${kind}, id, verdict, now(), causes, leaves, explanation, now() from input
      order by id
      on conflict (owner_id) do update set
        verdict = excluded.verdict,
        since = case when health.verdict = excluded.verdict then health.since else excluded.since end,
        causes = excluded.causes,
        leaves = excluded.leaves,
        explanation = excluded.explanation,
        updated_at = excluded.updated_at
      returning health.owner_id, health.verdict, old.verdict as previous, health.since,
        health.explanation
    ), tr as (
      insert into health_transition (owner_id, owner_kind, ${column}, at, verdict, previous,
        explanation)
      select owner_id, ${kind}, owner_id, since, verdict, previous, explanation from up
      where previous is distinct from verdict
    )
    select owner_id, verdict, previous, since from up where previous is distinct from verdict`);
  return (
    result.rows as {
      owner_id: string;
      verdict: Verdict;
      previous: Verdict | null;
      since: Date | string;
    }[]
  ).map((r) => ({
    ownerKind: kind,
    ownerId: r.owner_id,
    verdict: r.verdict,
    previous: r.previous,
    at: new Date(r.since).toISOString(),
  }));
}
