import { sql } from "drizzle-orm";
import type {
  HealthHistory,
  HealthOwnerKind,
  HealthTransition,
  OwnerHealth,
  Verdict,
} from "@omniglass/contracts";
import { OmniglassError, VERDICTS, type Actor, type Cause } from "@omniglass/domain";
import type { Database } from "../db";
import { resolveComponent } from "../components/resolve-component";
import { resolveLocation } from "../locations/resolve-location";
import { resolveSystem } from "../systems/resolve-system";

/*
 * Health reads, behind the owner's own read scope: an owner the actor cannot read is exactly as
 * missing as one that does not exist (its resolver's 404).
 */

interface ReadContext {
  db: Database;
  actor: Actor;
}

const DAY_MS = 86_400_000;

async function resolveOwner(
  { db, actor }: ReadContext,
  kind: HealthOwnerKind,
  ref: string,
): Promise<{ id: string; path: string }> {
  if (kind === "component") {
    const r = await resolveComponent(db, actor, ref);
    return { id: r.row.id, path: r.row.path };
  }
  if (kind === "system") {
    const r = await resolveSystem(db, actor, ref);
    return { id: r.row.id, path: r.row.path };
  }
  const r = await resolveLocation(db, actor, ref);
  return { id: r.id, path: r.path };
}

/** An owner's current health: verdict, since, the sentence, the causes and the red leaves. */
export async function getHealth(
  ctx: ReadContext & { kind: HealthOwnerKind; ref: string },
): Promise<OwnerHealth> {
  const owner = await resolveOwner(ctx, ctx.kind, ctx.ref);
  const [row] = (
    await ctx.db.execute(sql`
      select verdict, since, causes, leaves, explanation from health where owner_id = ${owner.id}::uuid`)
  ).rows as {
    verdict: Verdict;
    since: Date | string;
    causes: Cause[];
    leaves: Cause[];
    explanation: string;
  }[];
  if (!row)
    throw new OmniglassError(
      "NOT_FOUND",
      `No health recorded yet for ${ctx.kind} ${owner.path} (it is judged on its next change or start).`,
    );
  return {
    owner: { kind: ctx.kind, id: owner.id, path: owner.path },
    verdict: row.verdict,
    since: new Date(row.since).toISOString(),
    explanation: row.explanation,
    causes: row.causes,
    leaves: row.leaves,
  };
}

/**
 * Transitions of an owner in [from, to] (newest first, at most `limit`) and its availability over
 * that window, from all its transitions: the verdict in force at `from` is the last one at or
 * before it; time before the owner's first verdict is not counted. `byVerdict` is the fraction of
 * the window spent in each verdict; `available` is (healthy + incomplete + degraded) over the time
 * with a known verdict (all but `unknown` and the time before the first verdict): the system
 * was doing its job, possibly with lost redundancy, whenever it was not in outage and we could
 * see it. null when no known verdict covered any of the window.
 */
export async function getHealthHistory(
  ctx: ReadContext & {
    kind: HealthOwnerKind;
    input: { ref: string; from?: string; to?: string; limit?: number };
    now?: Date;
  },
): Promise<HealthHistory> {
  const { input } = ctx;
  const to = input.to ? new Date(input.to) : (ctx.now ?? new Date());
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 7 * DAY_MS);
  if (!(from.getTime() < to.getTime()))
    throw new OmniglassError("INVALID", "The window is empty: `from` must be before `to`.", {
      fieldErrors: [{ field: "from", message: "must be before `to`" }],
    });
  const owner = await resolveOwner(ctx, ctx.kind, input.ref);
  const limit = input.limit ?? 200;
  const fromIso = from.toISOString();
  const toIso = to.toISOString();

  const transitions = (
    await ctx.db.execute(sql`
      select at, verdict, previous, explanation from health_transition
      where owner_id = ${owner.id}::uuid and at >= ${fromIso}::timestamptz and at <= ${toIso}::timestamptz
      order by at desc, id desc limit ${limit}`)
  ).rows as {
    at: Date | string;
    verdict: Verdict;
    previous: Verdict | null;
    explanation: string;
  }[];

  const spans = (
    await ctx.db.execute(sql`
      with t as (
        select at, id, verdict from health_transition
        where owner_id = ${owner.id}::uuid and at > ${fromIso}::timestamptz and at <= ${toIso}::timestamptz
        union all
        (select ${fromIso}::timestamptz, id, verdict from health_transition
         where owner_id = ${owner.id}::uuid and at <= ${fromIso}::timestamptz
         order by at desc, id desc limit 1)
      ), spans as (
        select verdict, at,
          lead(at, 1, ${toIso}::timestamptz) over (order by at, id) as until
        from t
      )
      select verdict, sum(extract(epoch from until - at) * 1000)::float8 as ms
      from spans group by verdict`)
  ).rows as { verdict: Verdict; ms: number }[];

  const windowMs = to.getTime() - from.getTime();
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const s of spans) byVerdict[s.verdict] = Math.min(1, Math.max(0, s.ms / windowMs));
  const up = byVerdict.healthy + byVerdict.incomplete + byVerdict.degraded;
  const known = up + byVerdict.outage;

  return {
    transitions: transitions.map((t): HealthTransition => ({
      at: new Date(t.at).toISOString(),
      verdict: t.verdict,
      previous: t.previous,
      explanation: t.explanation,
    })),
    availability: {
      from: fromIso,
      to: toIso,
      byVerdict,
      available: known > 0 ? Math.min(1, up / known) : null,
    },
  };
}
