import { sql } from "drizzle-orm";
import {
  judgeSystem,
  type Cause,
  type Judgement,
  type OpenAlarm,
  type RoleFacts,
  type Verdict,
} from "@omniglass/domain";
import type { Transaction } from "../db";
import { judgeComponents } from "./component-facts";
import { judgementOf, OPEN_ALARMS, STORED_COLUMNS, storedOf, type StoredColumns } from "./stored";
import type { StoredHealth } from "./types";

/*
 * What a system is judged from, in one statement for any number of them: its roles (quorum,
 * impact) with the members filling each, its members that fill no role, and its own open alarms.
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
      ${sql.raw(STORED_COLUMNS)}
    from system y left join health h on h.system_id = y.id
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

  return rows.map((r) => {
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
    return {
      id: r.id,
      path: r.path,
      locationId: r.location_id,
      stored: storedOf(r),
      judgement: judgeSystem({ path: r.path, roles, others, alarms: r.alarms ?? [] }),
    };
  });
}
