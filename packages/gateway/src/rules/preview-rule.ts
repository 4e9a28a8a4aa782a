import { and, asc, eq, like, sql, type SQL } from "drizzle-orm";
import type { PreviewDraftInput, PreviewRuleInput, RulePreview } from "@omniglass/contracts";
import {
  compileExpression,
  elapse,
  OK,
  step,
  type CompiledExpression,
  type EpisodeState,
  type RuleContext,
} from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { componentScope } from "../components/resolve-component";
import { escapeLike } from "../locations/scope";
import { component, location, systemMember, system } from "../schema";
import { resolveRule } from "./read-rule";
import { scopeColumns } from "./rule-input";

/** Bounded work: at most this many owners and samples are replayed (the answer says when cut). */
export const PREVIEW_MAX_OWNERS = 200;
export const PREVIEW_MAX_SAMPLES = 50_000;

interface Subject {
  fire: CompiledExpression;
  clear: CompiledExpression | null;
  sustainMs: number;
  scope: {
    scopeKind: string;
    scopeTemplateId: string | null;
    scopeSystemTypeId: string | null;
    scopeLocationId: string | null;
    scopeComponentId: string | null;
  };
}

async function owners(
  db: Database | Transaction,
  actor: GatewayContext["actor"],
  s: Subject["scope"],
) {
  let where: SQL | undefined;
  if (s.scopeKind === "template") where = eq(component.templateId, s.scopeTemplateId!);
  else if (s.scopeKind === "owner") where = eq(component.id, s.scopeComponentId!);
  else if (s.scopeKind === "location") {
    const [place] = await db
      .select({ path: location.path })
      .from(location)
      .where(eq(location.id, s.scopeLocationId!));
    where = like(component.path, `${escapeLike(place?.path ?? "")}.%`);
  } else if (s.scopeKind === "system-type")
    where = sql`exists (select 1 from ${systemMember} join ${system} on ${system.id} = ${systemMember.systemId}
      where ${systemMember.componentId} = ${component.id} and ${system.typeId} = ${s.scopeSystemTypeId})`;
  return db
    .select({ id: component.id, path: component.path })
    .from(component)
    .where(and(where, componentScope(actor, "component:read")))
    .orderBy(asc(component.path))
    .limit(PREVIEW_MAX_OWNERS + 1);
}

/**
 * Replays a rule over the last `hours` of history of the owners in its scope (and in the
 * caller's read scope), with the same state machine as ingest, and lists when it would have fired
 * and cleared. Reads only: nothing is written.
 */
async function preview(
  { db, actor }: GatewayContext,
  subject: Subject,
  hours: number,
): Promise<RulePreview> {
  const found = await owners(db, actor, subject.scope);
  const list = found.slice(0, PREVIEW_MAX_OWNERS);
  const signals = [...new Set([...subject.fire.signals, ...(subject.clear?.signals ?? [])])];
  const now = Date.now();
  const from = now - hours * 3_600_000;
  const history =
    list.length === 0 || signals.length === 0
      ? { rows: [] }
      : await db.execute(sql`
          select s.component_id as c, s.instance as i, g.name as signal,
            (extract(epoch from x.ts) * 1000)::float8 as ms,
            coalesce(to_jsonb(x.num), x.value) as v
          from sample x
            join series s on s.id = x.series_id
            join signal g on g.id = s.signal_id
          where s.component_id = any(${`{${list.map((o) => o.id).join(",")}}`}::uuid[])
            and g.name = any(${sql.param(signals)}::text[])
            and x.ts >= ${new Date(from).toISOString()}::timestamptz
          order by s.component_id, s.instance, x.ts
          limit ${PREVIEW_MAX_SAMPLES + 1}`);
  const rows = (
    history.rows as { c: string; i: string; signal: string; ms: number; v: unknown }[]
  ).slice(0, PREVIEW_MAX_SAMPLES);
  const pathOf = new Map(list.map((o) => [o.id, o.path]));
  const episodes: RulePreview["episodes"] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  let k = 0;
  while (k < rows.length) {
    const c = rows[k]!.c;
    const i = rows[k]!.i;
    const context: RuleContext = { signals: {}, fresh: {}, age: {}, previous: {} };
    const seenAt: Record<string, number> = {};
    let state: EpisodeState = OK;
    let open: { firedAt: number } | null = null;
    const apply = (action: ReturnType<typeof step>["action"]) => {
      if (action.kind === "open") open = { firedAt: action.at };
      else if (action.kind === "resolve" && open) {
        episodes.push({
          owner: { id: c, path: pathOf.get(c) ?? c },
          instance: i,
          firedAt: iso(open.firedAt),
          clearedAt: iso(action.at),
        });
        open = null;
      }
    };
    for (; k < rows.length && rows[k]!.c === c && rows[k]!.i === i; k++) {
      const r = rows[k]!;
      const at = Number(r.ms);
      if (r.signal in context.signals) context.previous[r.signal] = context.signals[r.signal];
      context.signals[r.signal] = r.v;
      seenAt[r.signal] = at;
      for (const name of Object.keys(seenAt)) {
        context.age[name] = (at - seenAt[name]!) / 1000;
        context.fresh[name] = true;
      }
      const result = step(
        state,
        {
          fire: subject.fire.evaluate(context),
          clear: subject.clear ? subject.clear.evaluate(context) : null,
          hasClear: subject.clear !== null,
          at,
        },
        subject.sustainMs,
      );
      state = result.next;
      apply(result.action);
    }
    apply(elapse(state, now, subject.sustainMs).action);
    if (open)
      episodes.push({
        owner: { id: c, path: pathOf.get(c) ?? c },
        instance: i,
        firedAt: iso((open as { firedAt: number }).firedAt),
        clearedAt: null,
      });
  }
  episodes.sort((a, b) => (a.firedAt < b.firedAt ? -1 : a.firedAt > b.firedAt ? 1 : 0));
  return {
    hours,
    owners: list.length,
    samples: rows.length,
    truncated: found.length > PREVIEW_MAX_OWNERS || history.rows.length > PREVIEW_MAX_SAMPLES,
    episodes,
  };
}

/** Preview of a saved rule (`rule:read`). */
export async function previewRule({
  input,
  ...ctx
}: GatewayContext & { input: PreviewRuleInput }): Promise<RulePreview> {
  const row = await resolveRule(ctx.db, input.ref);
  const r = row.r;
  return preview(
    ctx,
    {
      fire: compileExpression("fire", r.fire),
      clear: r.clear ? compileExpression("clear", r.clear) : null,
      sustainMs: r.sustainSeconds * 1000,
      scope: r,
    },
    input.hours,
  );
}

/** Preview of an unsaved rule body: validated like a save (a CEL error is a 400), nothing stored. */
export async function previewDraftRule({
  input,
  ...ctx
}: GatewayContext & { input: PreviewDraftInput }): Promise<RulePreview> {
  const fire = compileExpression("fire", input.rule.fire);
  const clear = input.rule.clear ? compileExpression("clear", input.rule.clear) : null;
  const scope = await ctx.db.transaction((tx) => scopeColumns(tx, ctx.actor, input.rule.scope));
  return preview(
    ctx,
    { fire, clear, sustainMs: input.rule.sustainSeconds * 1000, scope },
    input.hours,
  );
}
