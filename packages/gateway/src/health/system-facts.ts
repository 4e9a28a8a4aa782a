import { sql } from "drizzle-orm";
import {
  type Cause,
  type Judgement,
  type OpenAlarm,
  type RoleFacts,
  type Verdict,
} from "@omniglass/domain";
import type { Transaction } from "../db";
import { judgeComponents } from "./component-facts";
import { judgementOf, OPEN_ALARMS, STORED_COLUMNS, storedOf, type StoredColumns } from "./stored";
import { judgeSystemWithRules, type SystemRuleAlarm, type SystemRuleRow } from "./system-rules";
import type { StoredHealth } from "./types";

/*
 * What a system is judged from, in one statement for any number of them: its roles (quorum,
 * impact) with the members filling each, its members that fill no role, its own open alarms, and
 * the system rules whose scope covers it (judged in system-rules.ts before its verdict is final).
 * Members are judged by their health rows (written earlier in this transaction when they changed),
 * so a system is never re-judged from stale member facts; a member without a row yet (an install
 * older than health) is judged from its facts here, without writing it.
 */

export interface SystemSubject {
  id: string;
  path: string;
  locationId: string;
  judgement: Judgement;
  stored: StoredHealth | null;
}

interface MemberRow {
  componentId: string;
  roleId: string | null;
  path: string;
  verdict: Verdict | null;
  causes: Cause[] | null;
  leaves: Cause[] | null;
}

type Row = StoredColumns & {
  id: string;
  path: string;
  location_id: string;
  roles: { id: string; name: string; quorum: number; impact: RoleFacts["impact"] }[];
  members: MemberRow[];
  alarms: OpenAlarm[];
  rules: SystemRuleRow[];
  rule_alarms: SystemRuleAlarm[];
  now_ms: string | number;
};

export async function judgeSystems(
  tx: Transaction,
  ids: readonly string[],
): Promise<SystemSubject[]> {
  if (ids.length === 0) return [];
  const result = await tx.execute(sql`
    select y.id, y.path, y.location_id,
      coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name,
          'quorum', r.quorum, 'impact', r.impact) order by r.name)
        from system_role r where r.system_id = y.id), '[]'::json) as roles,
      coalesce((select json_agg(json_build_object('componentId', m.component_id,
          'roleId', m.role_id, 'path', c.path, 'verdict', mh.verdict, 'causes', mh.causes,
          'leaves', mh.leaves) order by c.path)
        from system_member m join component c on c.id = m.component_id
        left join health mh on mh.component_id = m.component_id
        where m.system_id = y.id), '[]'::json) as members,
      ${sql.raw(OPEN_ALARMS("system_id", "y.id", "y.path"))} as alarms,
      coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name, 'label', r.label,
          'severity', r.severity, 'fire', r.fire, 'clear', r.clear,
          'flapWindowSeconds', r.flap_window_seconds, 'flapThreshold', r.flap_threshold)
          order by r.id)
        from event_rule r left join location rl on rl.id = r.scope_location_id
        where r.enabled and r.owner_kind = 'system'
          and (r.scope_kind = 'all'
            or (r.scope_kind = 'system-type' and r.scope_system_type_id = y.type_id)
            or (r.scope_kind = 'system' and r.scope_system_id = y.id)
            or (r.scope_kind = 'location'
              and (yl.path = rl.path or yl.path like rl.path || '.%')))), '[]'::json) as rules,
      coalesce((select json_agg(json_build_object('id', a.id, 'ruleId', a.rule_id))
        from alarm a join event_rule r on r.id = a.rule_id
        where a.system_id = y.id and a.lifecycle = 'open' and r.owner_kind = 'system'
      ), '[]'::json) as rule_alarms,
      (extract(epoch from now()) * 1000)::bigint as now_ms,
      ${sql.raw(STORED_COLUMNS)}
    from system y join location yl on yl.id = y.location_id
      left join health h on h.system_id = y.id
    where y.id = any(${sql.param([...ids])}::uuid[])
    order by y.id`);
  const rows = result.rows as unknown as Row[];

  const unjudged = rows
    .flatMap((r) => r.members.filter((m) => !m.verdict))
    .map((m) => m.componentId);
  const judgedNow = new Map(
    (await judgeComponents(tx, [...new Set(unjudged)])).map((c) => [c.id, c.judgement]),
  );
  const judgementOfMember = (m: MemberRow): Judgement =>
    m.verdict
      ? judgementOf({ verdict: m.verdict, causes: m.causes, leaves: m.leaves })
      : judgedNow.get(m.componentId)!;

  const subjects: SystemSubject[] = [];
  for (const r of rows) {
    const roles: RoleFacts[] = r.roles.map((role) => ({
      name: role.name,
      quorum: role.quorum,
      impact: role.impact,
      members: r.members
        .filter((m) => m.roleId === role.id)
        .map((m) => ({ path: m.path, judgement: judgementOfMember(m) })),
    }));
    const others = r.members
      .filter((m) => m.roleId === null)
      .map((m) => ({ path: m.path, judgement: judgementOfMember(m) }));
    const facts = { path: r.path, roles, others, alarms: r.alarms ?? [] };
    subjects.push({
      id: r.id,
      path: r.path,
      locationId: r.location_id,
      stored: storedOf(r),
      // Its system rules judged on these facts, their alarms then part of this same judgement.
      judgement: await judgeSystemWithRules(
        tx,
        { id: r.id, nowMs: Number(r.now_ms) },
        facts,
        r.rules ?? [],
        r.rule_alarms ?? [],
      ),
    });
  }
  return subjects;
}
