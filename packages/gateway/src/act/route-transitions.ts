import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { ActionRuleMatchers, TransitionMessage } from "@omniglass/contracts";
import { inSubtree, type Severity } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import type { SuppressionFacts } from "../suppress";
import { snapshotToAlarm, transitionKind, webhookBody } from "./payload";

/*
 * The actions consumer's write: each transition is matched against the enabled action rules and
 * becomes one delivery per endpoint (several rules naming one endpoint still make one). The
 * delivery's unique key (endpoint, alarm, seq) makes a redelivered message harmless.
 */

/** A new webhook-id: `msg_` and a time-ordered uuid (no dots, as the spec requires). */
export const newDeliveryId = () => `msg_${uuidv7().replaceAll("-", "")}`;

export interface RuleRow {
  id: string;
  matchers: ActionRuleMatchers;
  scope_kind: "all" | "location" | "system" | "template";
  scope_location_path: string | null;
  scope_system_id: string | null;
  scope_template: string | null;
  endpoint_ids: string[];
}

export interface RoutingFacts {
  id: string;
  rule_id: string;
  rule_name: string;
  owner_kind: SuppressionFacts["ownerKind"];
  owner_id: string;
  owner_path: string;
  location_path: string | null;
  system_ids: string[] | null;
  template_id: string | null;
  template_name: string | null;
  template_version: number | null;
}

/** Matches the transitions and records their deliveries; returns how many were created. */
export async function unsafeRouteTransitions(
  db: Database,
  messages: readonly TransitionMessage[],
): Promise<{ created: number }> {
  if (messages.length === 0) return { created: 0 };
  return db.transaction(async (tx) => {
    // Routed, in the transaction that records their deliveries: the delivery lane holds a later
    // seq of the same alarm until every earlier one is routed (two consumers may route seq 2 first).
    await tx.execute(sql`
      update outbox set routed_at = now()
      where id = any(${sql.param(messages.map((m) => m.outboxId))}::bigint[]) and routed_at is null`);
    const rules = (
      await tx.execute(sql`
        select r.id, r.matchers, r.scope_kind, l.path as scope_location_path, r.scope_system_id,
          r.scope_template, r.endpoint_ids
        from action_rule r left join location l on l.id = r.scope_location_id
        where r.enabled`)
    ).rows as unknown as RuleRow[];
    if (rules.length === 0) return { created: 0 };
    const facts = await routingFacts(tx, [...new Set(messages.map((m) => m.alarmId))]);
    const rows: {
      id: string;
      endpoint: string;
      rule: string;
      m: TransitionMessage;
      body: string;
    }[] = [];
    for (const m of messages) {
      const f = facts.get(m.alarmId);
      if (!f) continue;
      // The alarm as of this transition (the outbox snapshot): suppression and acknowledgement
      // are the facts the transition's own transaction wrote, never recomputed later.
      const alarm = snapshotToAlarm(m.payload);
      const suppressed = alarm.suppression !== null;
      const acknowledged = alarm.acknowledgement !== null;
      const kind = transitionKind(m.kind);
      const endpoints = new Set<string>();
      const body = webhookBody(m.payload);
      for (const rule of rules) {
        if (
          !matchesActionRule(rule, f, { kind, severity: alarm.severity, suppressed, acknowledged })
        )
          continue;
        for (const endpoint of rule.endpoint_ids) {
          if (endpoints.has(endpoint)) continue;
          endpoints.add(endpoint);
          rows.push({ id: newDeliveryId(), endpoint, rule: rule.id, m, body });
        }
      }
    }
    if (rows.length === 0) return { created: 0 };
    const inserted = await tx.execute(sql`
      insert into delivery (id, endpoint_id, action_rule_id, alarm_id, alarm_seq, event_type, body,
        status, next_attempt_at)
      select d.id, d.endpoint_id, d.rule_id, d.alarm_id, d.alarm_seq, d.event_type, d.body,
        'pending', now()
      from unnest(${sql.param(rows.map((r) => r.id))}::text[],
        ${sql.param(rows.map((r) => r.endpoint))}::uuid[],
        ${sql.param(rows.map((r) => r.rule))}::uuid[],
        ${sql.param(rows.map((r) => r.m.alarmId))}::uuid[],
        ${sql.param(rows.map((r) => r.m.seq))}::int[],
        ${sql.param(rows.map((r) => `alarm.${transitionKind(r.m.kind)}`))}::text[],
        ${sql.param(rows.map((r) => r.body))}::text[])
        as d(id, endpoint_id, rule_id, alarm_id, alarm_seq, event_type, body)
      -- An endpoint deleted since the rule named it is skipped.
      where exists (select 1 from webhook_endpoint e where e.id = d.endpoint_id)
      on conflict (endpoint_id, alarm_id, alarm_seq) do nothing`);
    return { created: inserted.rowCount ?? 0 };
  });
}

export function matchesActionRule(
  rule: RuleRow,
  f: RoutingFacts,
  t: { kind: string; severity: Severity; suppressed: boolean; acknowledged: boolean },
): boolean {
  const m = rule.matchers;
  if (m.severities && !m.severities.includes(t.severity)) return false;
  if (m.ruleIds && !m.ruleIds.includes(f.rule_id)) return false;
  if (m.kinds && !m.kinds.includes(t.kind as never)) return false;
  // Suppression never pages by default: only a rule that asks for suppressed transitions gets them.
  if (m.suppressed !== "any" && (m.suppressed ?? false) !== t.suppressed) return false;
  if (m.acknowledged !== undefined && m.acknowledged !== t.acknowledged) return false;
  switch (rule.scope_kind) {
    case "all":
      return true;
    case "location":
      return (
        f.location_path !== null &&
        rule.scope_location_path !== null &&
        inSubtree(f.location_path, rule.scope_location_path)
      );
    case "system":
      return (
        (f.owner_kind === "system" && f.owner_id === rule.scope_system_id) ||
        (f.system_ids ?? []).includes(rule.scope_system_id!)
      );
    case "template":
      return f.template_name !== null && f.template_name === rule.scope_template;
  }
}

/** What scope matching needs of each alarm's owner, in one statement. */
export async function routingFacts(
  tx: Transaction,
  ids: string[],
): Promise<Map<string, RoutingFacts>> {
  const result = await tx.execute(sql`
    select a.id, a.rule_id, r.name as rule_name, a.owner_kind,
      coalesce(a.component_id, a.system_id, a.location_id, a.node_id, a.endpoint_id) as owner_id,
      coalesce(c.path, s.path, l.path, p.name, we.name, '') as owner_path,
      coalesce(cl.path, sl.path, l.path, nl.path, wl.path) as location_path,
      (select array_agg(m.system_id) from system_member m where m.component_id = a.component_id)
        as system_ids,
      t.id as template_id, t.name as template_name, t.version as template_version
    from alarm a
    join event_rule r on r.id = a.rule_id
    left join component c on c.id = a.component_id
    left join location cl on cl.id = c.location_id
    left join template t on t.id = c.template_id
    left join system s on s.id = a.system_id
    left join location sl on sl.id = s.location_id
    left join location l on l.id = a.location_id
    left join node n on n.id = a.node_id
    left join location nl on nl.id = n.location_id
    left join principal p on p.id = a.node_id
    left join webhook_endpoint we on we.id = a.endpoint_id
    left join location wl on wl.id = we.location_id
    where a.id = any(${sql.param(ids)}::uuid[])`);
  const map = new Map<string, RoutingFacts>();
  for (const row of result.rows as unknown as RoutingFacts[]) map.set(row.id, row);
  return map;
}
