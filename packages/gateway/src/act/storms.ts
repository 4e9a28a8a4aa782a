import { inArray, sql } from "drizzle-orm";
import type { StormDependent, WebhookStormPayload } from "@omniglass/contracts";
import type { Database } from "../db";
import { alarmQuery, toAlarm } from "../alarms/read-alarm";
import { alarm } from "../schema";
import {
  matchesActionRule,
  newDeliveryId,
  routingFacts,
  type RoutingFacts,
  type RuleRow,
} from "./route-transitions";

/*
 * Storms (issue #14 item 6): when one root alarm takes many dependents down, receivers hear the
 * root once (its own transition, routed like any other) and then ONE grouped summary per system
 * or location of the dependents — `alarm.storm`, "30 alarms in hq.north.r1.av behind
 * hq.north.access-switch" — instead of one message per dependent (those are suppressed by the
 * root, and a suppressed alarm does not page unless an action rule asks for it).
 *
 * The pass (periodic, in the worker):
 * - dependents are the open alarms suppressed with `root_alarm_id` = an open root;
 * - their group is the component's primary system (system_member.is_primary), else the system
 *   itself (a system's alarm), else where the owner is placed (its location);
 * - a group is summarized once its first dependent has been held for the grouping wait (default
 *   10 s, from `suppression.since`), so the dependents that fall together arrive together;
 * - the endpoints are those the ROOT's transitions were delivered to (its deliveries), with the
 *   action rule that made them: who heard the root hears its storm, nobody else does;
 * - each endpoint's summary counts and names only the dependents that rule would match — its
 *   scope and its severity and event-rule matchers, judged by routing's own `matchesActionRule`
 *   (its kind, suppressed and acknowledged matchers judge the root's transitions, not these held
 *   dependents); a group none of whose dependents it matches sends that endpoint nothing, and a
 *   rule deleted since (the route is gone) sends nothing either;
 * - one delivery per (root, group, endpoint), recorded in `storm_notice`, whose unique key makes
 *   it exactly once even with several workers (an advisory lock keeps them from racing on it);
 * - dependents added after the summary: ONE update summary (`previousCount` set) at most every
 *   `updateEveryMs` (default 5 min) per (root, group, endpoint), when the count grew; fewer
 *   dependents (some cleared) send nothing. The root's clearing is its own transition.
 * The summary is a delivery like the others: signed, retried, in the log, replayable; its
 * alarm_id is the root's (its "why" lists it), its seq null (it is no transition of the root).
 */

/** A group's first dependents named in its summary; `count` says how many there are. */
export const STORM_DEPENDENTS_LISTED = 20;
export const STORM_GROUP_WAIT_MS = 10_000;
export const STORM_UPDATE_EVERY_MS = 5 * 60_000;

export interface StormPassResult {
  /** Summaries queued: first ones and updates. */
  created: number;
  updates: number;
  /** false when another worker held the pass. */
  ran: boolean;
}

interface GroupRow {
  root: string;
  group_kind: "system" | "location";
  group_id: string;
  group_path: string;
  /** All the group's dependents, whatever the rule: an upper bound of what the endpoint hears. */
  count: number;
  endpoint_id: string;
  action_rule_id: string | null;
  notice_id: string | null;
  notice_count: number | null;
}

interface DependentRow {
  root: string;
  group_kind: string;
  group_id: string;
  since: Date | string;
  id: string;
  owner_kind: StormDependent["owner"]["kind"];
  owner_id: string;
  owner_path: string;
  rule_id: string;
  rule_name: string;
  severity: StormDependent["severity"];
  summary: string;
  opened_at: Date | string;
}

/**
 * The open dependents of open roots with their group, as a SQL fragment (one row per dependent).
 * `since`: when its notifications were first held (suppression.since), else when it was written.
 */
const DEPENDENTS = sql`
  select a.id, a.root_alarm_id as root, a.owner_kind, a.rule_id, r.name as rule_name, a.severity,
    a.summary, a.opened_at,
    coalesce(a.component_id, a.system_id, a.location_id, a.node_id, a.endpoint_id) as owner_id,
    coalesce(c.path, s.path, p.name, we.name, l.path) as owner_path,
    case when ps.id is not null or s.id is not null then 'system' else 'location' end as group_kind,
    coalesce(ps.id, s.id, gl.id) as group_id,
    coalesce(ps.path, s.path, gl.path) as group_path,
    coalesce((a.suppression->>'since')::timestamptz, a.created_at) as since
  from alarm a
  join alarm ra on ra.id = a.root_alarm_id and ra.lifecycle = 'open'
  join event_rule r on r.id = a.rule_id
  left join component c on c.id = a.component_id
  left join system_member pm on pm.component_id = a.component_id and pm.is_primary
  left join system ps on ps.id = pm.system_id
  left join system s on s.id = a.system_id
  left join location l on l.id = a.location_id
  left join node n on n.id = a.node_id
  left join principal p on p.id = a.node_id
  left join webhook_endpoint we on we.id = a.endpoint_id
  left join location gl on gl.id = coalesce(c.location_id, a.location_id, n.location_id, we.location_id)
  where a.root_alarm_id is not null and a.lifecycle = 'open' and a.suppressed`;

/**
 * One storm pass: queues the summaries (and update summaries) that are due. Trusted (the worker):
 * one transaction, one worker at a time; the storm_notice key stands behind the lock.
 */
export async function unsafeStormPass(
  db: Database,
  {
    groupWaitMs = STORM_GROUP_WAIT_MS,
    updateEveryMs = STORM_UPDATE_EVERY_MS,
    listed = STORM_DEPENDENTS_LISTED,
    now = new Date(),
  }: { groupWaitMs?: number; updateEveryMs?: number; listed?: number; now?: Date } = {},
): Promise<StormPassResult> {
  return db.transaction(async (tx) => {
    const lock = await tx.execute(
      sql`select pg_try_advisory_xact_lock(hashtext('omniglass-storm-pass')) as taken`,
    );
    if (!(lock.rows[0] as { taken: boolean }).taken) return { created: 0, updates: 0, ran: false };
    const at = now.toISOString();
    // Candidates: groups due (held for the wait) × the endpoints the root was delivered to, with
    // the notice already sent (if any); kept: no notice yet, or an update due (more dependents,
    // and the last summary older than the update interval). Counted over ALL the group's
    // dependents, a superset of what each rule matches (its first dependent is no later, its count
    // no smaller); each endpoint's own figures are decided below, with its rule.
    const due = (
      await tx.execute(sql`
        with dep as (${DEPENDENTS}),
        groups as (
          select root, group_kind, group_id, min(group_path) as group_path, count(*)::int as count,
            min(since) as first_since
          from dep where group_id is not null
          group by root, group_kind, group_id
        ),
        heard as (
          select distinct on (d.alarm_id, d.endpoint_id) d.alarm_id as root, d.endpoint_id,
            d.action_rule_id
          from delivery d
          where d.alarm_id in (select root from groups) and d.alarm_seq is not null
          order by d.alarm_id, d.endpoint_id, d.alarm_seq
        )
        select g.root, g.group_kind, g.group_id, g.group_path, g.count, h.endpoint_id,
          h.action_rule_id, n.id as notice_id, n.count as notice_count
        from groups g
        join heard h on h.root = g.root
        join webhook_endpoint e on e.id = h.endpoint_id
        left join storm_notice n on n.root_alarm_id = g.root and n.group_kind = g.group_kind
          and n.group_id = g.group_id and n.endpoint_id = h.endpoint_id
        left join delivery nd on nd.id = n.delivery_id
        where g.first_since <= ${at}::timestamptz - ${groupWaitMs} * interval '1 millisecond'
          and (n.id is null or (g.count > n.count and coalesce(nd.created_at, n.created_at)
            <= ${at}::timestamptz - ${updateEveryMs} * interval '1 millisecond'))
        order by g.root, g.group_kind, g.group_id, h.endpoint_id`)
    ).rows as unknown as GroupRow[];
    if (due.length === 0) return { created: 0, updates: 0, ran: true };

    const roots = [...new Set(due.map((g) => g.root))];
    const rootAlarms = new Map(
      (await alarmQuery(tx).where(inArray(alarm.id, roots))).map((r) => [r.a.id, toAlarm(r, now)]),
    );
    // The rules that delivered the roots (as they are now), and every dependent of those roots.
    const ruleIds = [...new Set(due.flatMap((g) => (g.action_rule_id ? [g.action_rule_id] : [])))];
    const rules = new Map(
      (
        await tx.execute(sql`
          select r.id, r.matchers, r.scope_kind, l.path as scope_location_path, r.scope_system_id,
            r.scope_template, r.endpoint_ids
          from action_rule r left join location l on l.id = r.scope_location_id
          where r.id = any(${sql.param(ruleIds)}::uuid[])`)
      ).rows.map((r) => [(r as unknown as RuleRow).id, r as unknown as RuleRow]),
    );
    const dependents = (
      await tx.execute(sql`
        select dep.* from (${DEPENDENTS}) dep
        where root = any(${sql.param(roots)}::uuid[]) and group_id is not null
        order by opened_at, id`)
    ).rows as unknown as DependentRow[];
    const ids = dependents.map((d) => d.id);
    const facts = [...rules.values()].every(matchesAll)
      ? new Map<string, RoutingFacts>()
      : await routingFacts(tx, ids);
    const dependentsOf = new Map<string, DependentRow[]>();
    for (const d of dependents) {
      const list = dependentsOf.get(d.root) ?? [];
      list.push(d);
      dependentsOf.set(d.root, list);
    }
    // Per (root, rule): the dependents it matches, by group (oldest first), and how many in all.
    const matched = new Map<string, { groups: Map<string, DependentRow[]>; total: number }>();
    const matchedOf = (root: string, rule: RuleRow) => {
      const key = `${root}/${rule.id}`;
      let m = matched.get(key);
      if (!m) {
        m = { groups: new Map(), total: 0 };
        for (const d of dependentsOf.get(root) ?? []) {
          if (!stormMatches(rule, d, facts.get(d.id))) continue;
          const group = `${d.group_kind}/${d.group_id}`;
          const list = m.groups.get(group) ?? [];
          list.push(d);
          m.groups.set(group, list);
          m.total++;
        }
        matched.set(key, m);
      }
      return m;
    };
    const waited = now.getTime() - groupWaitMs;

    const deliveries: { id: string; g: GroupRow; count: number; body: string }[] = [];
    for (const g of due) {
      const root = rootAlarms.get(g.root);
      const rule = g.action_rule_id ? rules.get(g.action_rule_id) : undefined;
      if (!root || !rule) continue;
      const m = matchedOf(g.root, rule);
      const group = m.groups.get(`${g.group_kind}/${g.group_id}`) ?? [];
      const count = group.length;
      // Nothing this rule matches, not held for the wait yet, or no more than the last summary.
      if (count === 0) continue;
      if (group.every((d) => new Date(d.since).getTime() > waited)) continue;
      if (g.notice_id !== null && count <= g.notice_count!) continue;
      const body: WebhookStormPayload = {
        type: "alarm.storm",
        timestamp: at,
        data: {
          summary: `${count} alarm${count === 1 ? "" : "s"} in ${g.group_path} behind ${root.owner.path} (${root.severity}: ${root.rule.name})`,
          root,
          group: { kind: g.group_kind, id: g.group_id, path: g.group_path },
          count,
          previousCount: g.notice_id === null ? null : g.notice_count,
          total: m.total,
          dependents: group.slice(0, listed).map((d): StormDependent => ({
            id: d.id,
            owner: { kind: d.owner_kind, id: d.owner_id, path: d.owner_path },
            rule: { id: d.rule_id, name: d.rule_name },
            severity: d.severity,
            summary: d.summary,
            openedAt: new Date(d.opened_at).toISOString(),
          })),
        },
      };
      deliveries.push({ id: newDeliveryId(), g, count, body: JSON.stringify(body) });
    }
    if (deliveries.length === 0) return { created: 0, updates: 0, ran: true };
    const column = <T>(pick: (d: (typeof deliveries)[number]) => T) => deliveries.map(pick);
    // The notices first — a first one is inserted (its key makes it once), an update moves the
    // notice to the new delivery and count only if it still holds the count this pass read —
    // then the deliveries of the notices that landed (the foreign key is checked at the end of
    // the statement, when both exist).
    const inserted = await tx.execute(sql`
      with d as (
        select * from unnest(${sql.param(column((d) => d.id))}::text[],
          ${sql.param(column((d) => d.g.endpoint_id))}::uuid[],
          ${sql.param(column((d) => d.g.action_rule_id))}::uuid[],
          ${sql.param(column((d) => d.g.root))}::uuid[],
          ${sql.param(column((d) => d.body))}::text[],
          ${sql.param(column((d) => d.g.group_kind))}::text[],
          ${sql.param(column((d) => d.g.group_id))}::uuid[],
          ${sql.param(column((d) => d.count))}::int[],
          ${sql.param(column((d) => d.g.notice_id))}::uuid[],
          ${sql.param(column((d) => d.g.notice_count))}::int[])
          as d(id, endpoint_id, rule_id, root, body, group_kind, group_id, count, notice_id,
            notice_count)
      ),
      first as (
        insert into storm_notice (id, root_alarm_id, group_kind, group_id, endpoint_id,
          delivery_id, count)
        select uuidv7(), d.root, d.group_kind, d.group_id, d.endpoint_id, d.id, d.count
        from d where d.notice_id is null
        on conflict (root_alarm_id, group_kind, group_id, endpoint_id) do nothing
        returning delivery_id
      ),
      updated as (
        update storm_notice n set delivery_id = d.id, count = d.count
        from d where d.notice_id = n.id and n.count = d.notice_count
        returning n.delivery_id
      ),
      delivered as (
        insert into delivery (id, endpoint_id, action_rule_id, alarm_id, alarm_seq, event_type,
          body, status, next_attempt_at)
        select d.id, d.endpoint_id, d.rule_id, d.root, null, 'alarm.storm', d.body, 'pending', now()
        from d
        where d.id in (select delivery_id from first union all select delivery_id from updated)
        returning id
      )
      select (select count(*) from first)::int as first,
        (select count(*) from updated)::int as updated`);
    const row = inserted.rows[0] as { first: number; updated: number };
    return { created: row.first + row.updated, updates: row.updated, ran: true };
  });
}

/** A rule of scope all with no severity or event-rule matcher matches every dependent. */
const matchesAll = (rule: RuleRow) =>
  rule.scope_kind === "all" && !rule.matchers.severities && !rule.matchers.ruleIds;

/**
 * Whether the rule that delivered the root matches a dependent: its scope, severities and event
 * rules, through routing's `matchesActionRule` with the transition matchers (kinds, suppressed,
 * acknowledged) left out — those chose which of the root's transitions page.
 */
function stormMatches(rule: RuleRow, d: DependentRow, f: RoutingFacts | undefined): boolean {
  if (matchesAll(rule)) return true;
  if (!f) return false;
  const { severities, ruleIds } = rule.matchers;
  const scoped: RuleRow = {
    ...rule,
    matchers: { ...(severities && { severities }), ...(ruleIds && { ruleIds }), suppressed: "any" },
  };
  return matchesActionRule(scoped, f, {
    kind: "opened",
    severity: d.severity,
    suppressed: true,
    acknowledged: false,
  });
}
