import { and, asc, eq, sql } from "drizzle-orm";
import {
  type AlarmWhy,
  type ActionRuleMatchers,
  type Alarm as AlarmDto,
  Suppression,
} from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { GatewayContext } from "../kit";
import { explainActionRule } from "../act/explain";
import { endpointScope } from "../act/find-act";
import { snapshotToAlarm, transitionKind } from "../act/payload";
import { routingFacts, type RuleRow } from "../act/route-transitions";
import { actionRuleScope } from "../act/write-action-rule";
import { actionRule, alarm, delivery, location, system, webhookEndpoint } from "../schema";
import { alarmQuery, alarmScope, resolveAlarm, toAlarm } from "./read-alarm";

/*
 * "Why did (or didn't) this alarm notify" (issue #14 item 4). Every transition of the timeline is
 * evaluated the way routing evaluated it: against its own outbox snapshot (suppression and
 * acknowledgement as that transaction wrote them), with `matchesActionRule` through
 * `explainActionRule`. Deliveries are what actually happened. Action rules and endpoints outside
 * the caller's `action:read` scope are counted, never named (fail closed). A fixed number of
 * statements whatever the timeline's length: the alarm, its events with their outbox rows, its
 * deliveries, the action rules, the routing facts and (behind a root) the root alarm, in one
 * read-only snapshot.
 */

type Why = AlarmWhy;
type Transition = Why["transitions"][number];

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string | Date).toISOString();

interface EventRow {
  seq: number;
  kind: Transition["kind"];
  at: string | Date;
  value: unknown;
  comment: string | null;
  payload: Record<string, unknown> | null;
  published_at: string | Date | null;
  created_at: string | Date | null;
  in_outbox: boolean;
}

/** The answer for one alarm within `alarm:read` scope (else the same 404 as `getAlarm`). */
export async function explainAlarm({
  db,
  actor,
  id,
}: GatewayContext & { id: string }): Promise<AlarmWhy> {
  return db.transaction((tx) => explain(tx, actor, id), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}

async function explain(tx: Transaction, actor: Actor, id: string): Promise<AlarmWhy> {
  const row = await resolveAlarm(tx, actor, id);
  const current = toAlarm(row);
  // The outbox keeps a day of published rows; only this alarm's (created after the alarm row,
  // on outbox_created_idx), joined to its events by seq.
  const events = (
    await tx.execute(sql`
      with o as (
        select alarm_seq, payload, published_at, created_at from outbox
        where alarm_id = ${id} and created_at >= ${row.a.createdAt.toISOString()}::timestamptz
      )
      select e.seq, e.kind, e.at, e.value, e.comment, o.payload, o.published_at, o.created_at,
        (o.alarm_seq is not null) as in_outbox
      from alarm_event e left join o on o.alarm_seq = e.seq
      where e.alarm_id = ${id}
      order by e.seq`)
  ).rows as unknown as EventRow[];

  const endpoints = endpointScope(actor);
  const deliveries = await tx
    .select({
      d: {
        id: delivery.id,
        seq: delivery.alarmSeq,
        endpointId: delivery.endpointId,
        actionRuleId: delivery.actionRuleId,
        status: delivery.status,
        attempts: delivery.attempts,
        lastStatusCode: delivery.lastStatusCode,
        lastLatencyMs: delivery.lastLatencyMs,
        lastError: delivery.lastError,
        lastAttemptAt: delivery.lastAttemptAt,
        nextAttemptAt: delivery.nextAttemptAt,
        deliveredAt: delivery.deliveredAt,
      },
      endpointName: webhookEndpoint.name,
      visible: sql<boolean>`${endpoints ?? sql`true`}`,
      // The body's alarm is the transition's snapshot as routing read it (snapshotToAlarm).
      snapshot: sql<AlarmDto | null>`(${delivery.body}::jsonb #> '{data,alarm}')`,
    })
    .from(delivery)
    .innerJoin(webhookEndpoint, eq(webhookEndpoint.id, delivery.endpointId))
    .leftJoin(location, eq(location.id, webhookEndpoint.locationId))
    .where(eq(delivery.alarmId, id))
    .orderBy(asc(delivery.alarmSeq), asc(delivery.createdAt), asc(delivery.id));

  // Action rules are readable where the action-rule list shows them (actionRuleScope).
  const ruleScope = actionRuleScope(actor);
  const rules = await tx
    .select({
      r: actionRule,
      locationPath: location.path,
      visible: sql<boolean>`${ruleScope ?? sql`true`}`,
    })
    .from(actionRule)
    .leftJoin(location, eq(location.id, actionRule.scopeLocationId))
    .leftJoin(system, eq(system.id, actionRule.scopeSystemId))
    .orderBy(asc(actionRule.name));
  const facts = rules.length > 0 ? (await routingFacts(tx, [id])).get(id) : undefined;

  const bySeq = new Map<number | null, typeof deliveries>();
  for (const d of deliveries) bySeq.set(d.d.seq, [...(bySeq.get(d.d.seq) ?? []), d]);
  const visibleRules = new Set(rules.filter((r) => r.visible).map((r) => r.r.id));

  // Each transition as routing saw it: its outbox snapshot, else a delivery's body (the same
  // snapshot), else rebuilt from the timeline.
  const rebuilt = rebuildFromTimeline(events, current.suppression !== null);
  const seen = events.map((e, i) => {
    const fromDelivery = bySeq.get(e.seq)?.find((d) => d.snapshot)?.snapshot;
    const snapshot = e.payload
      ? snapshotToAlarm(e.payload)
      : fromDelivery
        ? { ...fromDelivery, suppression: fromDelivery.suppression ?? null }
        : null;
    return {
      facts: (e.payload ? "outbox" : snapshot ? "delivery" : "timeline") as Transition["facts"],
      suppression: snapshot ? snapshot.suppression : null,
      state: snapshot
        ? {
            suppressed: snapshot.suppression !== null,
            acknowledged: (snapshot.acknowledgement ?? null) !== null,
            severity: snapshot.severity,
          }
        : { ...rebuilt[i]!, severity: current.severity },
    };
  });

  // Suppression history: what held it (an alarm that opened or reopened held: its fired or
  // reopened event, with the snapshot's reasons), what released it (an unsuppressed event names
  // what had held it until then).
  const history: Why["suppression"]["history"] = [];
  let held: Suppression | null = null;
  let isHeld = false;
  events.forEach((e, i) => {
    const at = iso(e.at)!;
    if (e.kind === "suppressed" || e.kind === "unsuppressed") {
      const parsed = Suppression.safeParse(e.value);
      const reasons: Suppression | null = parsed.success
        ? parsed.data
        : e.kind === "unsuppressed"
          ? held
          : null;
      history.push({ seq: e.seq, kind: e.kind, at, reasons, comment: e.comment });
      held = e.kind === "suppressed" ? reasons : null;
      isHeld = e.kind === "suppressed";
    } else if ((e.kind === "fired" || e.kind === "reopened") && seen[i]!.state.suppressed) {
      const parsed = Suppression.safeParse(seen[i]!.suppression);
      if (!isHeld)
        history.push({
          seq: e.seq,
          kind: "suppressed",
          at,
          reasons: parsed.success ? parsed.data : null,
          comment: null,
        });
      held = parsed.success ? parsed.data : held;
      isHeld = true;
    }
  });

  const rootId =
    current.suppression?.root?.alarmId ??
    row.a.rootAlarmId ??
    history.findLast((h) => h.reasons?.root)?.reasons?.root?.alarmId ??
    null;
  const [root] = rootId
    ? await alarmQuery(tx).where(and(eq(alarm.id, rootId), alarmScope(actor, "alarm:read")))
    : [];

  const transitions = events.map((e, i): Transition => {
    const committedAt = new Date(e.created_at ?? e.at);
    const ofSeq = bySeq.get(e.seq) ?? [];
    const { state, facts: source } = seen[i]!;
    const named: Transition["actionRules"] = [];
    const other = { matched: 0, notMatched: 0 };
    if (facts)
      for (const { r, locationPath, visible } of rules) {
        const rule: RuleRow & { enabled: boolean } = {
          id: r.id,
          enabled: r.enabled,
          matchers: r.matchers as ActionRuleMatchers,
          scope_kind: r.scopeKind,
          scope_location_path: locationPath,
          scope_system_id: r.scopeSystemId,
          scope_template: r.scopeTemplate,
          endpoint_ids: r.endpointIds,
        };
        const why = explainActionRule(rule, facts, { kind: transitionKind(e.kind), ...state });
        if (!visible) other[why === null ? "matched" : "notMatched"]++;
        else
          named.push({
            id: r.id,
            name: r.name,
            matched: why === null,
            why,
            changedSince: r.updatedAt > committedAt,
          });
      }
    return {
      seq: e.seq,
      kind: e.kind,
      at: iso(e.at)!,
      suppressed: state.suppressed,
      acknowledged: state.acknowledged,
      facts: source,
      outbox: !e.in_outbox ? "pruned" : e.published_at ? "published" : "waiting",
      actionRules: named,
      otherActionRules: other,
      deliveries: ofSeq
        .filter((d) => d.visible)
        .map(({ d, endpointName }) => ({
          id: d.id,
          endpoint: { id: d.endpointId, name: endpointName },
          actionRuleId: d.actionRuleId && visibleRules.has(d.actionRuleId) ? d.actionRuleId : null,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          lastLatencyMs: d.lastLatencyMs,
          lastError: d.lastError,
          lastAttemptAt: iso(d.lastAttemptAt),
          nextAttemptAt: iso(d.nextAttemptAt),
          deliveredAt: iso(d.deliveredAt),
        })),
      otherDeliveries: {
        total: ofSeq.filter((d) => !d.visible).length,
        delivered: ofSeq.filter((d) => !d.visible && d.d.status === "delivered").length,
      },
    };
  });

  const rootAlarm = root ? toAlarm(root) : null;
  return {
    alarm: {
      id: current.id,
      lifecycle: current.lifecycle,
      severity: current.severity,
      summary: current.summary,
      owner: current.owner,
      acknowledged: current.acknowledgement !== null,
    },
    rule: current.rule,
    notified: deliveries.some((d) => d.d.status === "delivered"),
    suppression: {
      current: current.suppression,
      root: rootAlarm
        ? {
            id: rootAlarm.id,
            lifecycle: rootAlarm.lifecycle,
            severity: rootAlarm.severity,
            summary: rootAlarm.summary,
            owner: rootAlarm.owner,
          }
        : null,
      history,
    },
    transitions,
  };
}

/**
 * Suppressed and acknowledged as of each event, rebuilt from the timeline alone (when neither the
 * outbox nor a delivery kept the snapshot): events at the same instant were one transaction, so
 * each takes the state after the last of them. An acknowledgement's expiry is not on the timeline,
 * nor are new reasons while held (a second `suppressed` event) told apart from a first hold.
 */
function rebuildFromTimeline(events: readonly EventRow[], heldNow: boolean) {
  const out: { suppressed: boolean; acknowledged: boolean }[] = [];
  // Before its first suppressed/unsuppressed event (or without any): held from the start when that
  // first one releases it (or, with none, when it is held now) — it opened held.
  const first = events.find((e) => e.kind === "suppressed" || e.kind === "unsuppressed");
  let suppressed = first ? first.kind === "unsuppressed" : heldNow;
  let acknowledged = false;
  for (let i = 0; i < events.length;) {
    const at = new Date(events[i]!.at).getTime();
    let j = i;
    while (j < events.length && new Date(events[j]!.at).getTime() === at) {
      const kind = events[j]!.kind;
      if (kind === "suppressed" || kind === "unsuppressed") suppressed = kind === "suppressed";
      if (kind === "acknowledged" || kind === "unacknowledged")
        acknowledged = kind === "acknowledged";
      j++;
    }
    for (; i < j; i++) out.push({ suppressed, acknowledged });
  }
  return out;
}
