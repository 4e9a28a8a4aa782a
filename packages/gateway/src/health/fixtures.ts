import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "../db";

/**
 * A small estate for the health tests, written directly (no actor, no audit; never used on an
 * operator's estate): `<name>` campus › `b1` building › rooms `r1` and `r2`; in r1 the system
 * `av` with roles displays (quorum 2, outage), mics (quorum 1, degraded), cameras (quorum 1,
 * outage, nothing installed) and signage (quorum 1, impact none, nothing installed); members
 * display-left and display-right (displays), mic-1 (mics) and codec (no role); in r2 the
 * free-standing sensor-1 and unpolled (no node polls it). Polled interfaces are bound to one node
 * that heartbeats now; every polled component has one fresh series.
 */
export interface HealthEstate {
  name: string;
  nodeId: string;
  ruleId: string;
  /** A second rule, for a second open alarm on one owner (one open alarm per rule and owner). */
  otherRuleId: string;
  locations: { campus: string; building: string; r1: string; r2: string };
  systemId: string;
  components: Record<
    "displayLeft" | "displayRight" | "mic" | "codec" | "sensor" | "unpolled",
    string
  >;
}

export async function unsafeSeedHealthEstate(db: Database, name: string): Promise<HealthEstate> {
  return db.transaction(async (tx) => {
    const one = async <T>(q: ReturnType<typeof sql>) => (await tx.execute(q)).rows[0] as T;
    const type = (n: string) =>
      one<{ id: string }>(sql`select id from location_type where name = ${n}`);
    const [campusT, buildingT, roomT] = [
      await type("campus"),
      await type("building"),
      await type("room"),
    ];
    const tpl = await one<{ id: string }>(
      sql`select id from template where name = 'http-json-display' order by version desc limit 1`,
    );
    const sysType = await one<{ id: string }>(
      sql`select id from system_type where name = 'meeting-room'`,
    );
    const signal = await one<{ id: string }>(sql`select id from signal where name = 'reachable'`);
    const loc = async (
      id: string,
      parent: string | null,
      typeId: string,
      path: string,
      depth: number,
    ) => {
      await tx.execute(sql`insert into location (id, parent_id, type_id, name, path, depth)
        values (${id}, ${parent}, ${typeId}, ${path.split(".").pop()!}, ${path}, ${depth})`);
      return id;
    };
    const campus = await loc(uuidv7(), null, campusT.id, name, 0);
    const building = await loc(uuidv7(), campus, buildingT.id, `${name}.b1`, 1);
    const r1 = await loc(uuidv7(), building, roomT.id, `${name}.b1.r1`, 2);
    const r2 = await loc(uuidv7(), building, roomT.id, `${name}.b1.r2`, 2);

    const nodeId = uuidv7();
    await tx.execute(
      sql`insert into principal (id, kind, name) values (${nodeId}, 'node', ${`${name}-node`})`,
    );
    await tx.execute(sql`insert into node (id, location_id, enrolled_at, last_seen_at)
      values (${nodeId}, ${campus}, now(), now())`);

    const systemId = uuidv7();
    await tx.execute(sql`insert into system (id, name, type_id, location_id, path)
      values (${systemId}, 'av', ${sysType.id}, ${r1}, ${`${name}.b1.r1.av`})`);
    const role = async (roleName: string, quorum: number, impact: string) => {
      const id = uuidv7();
      await tx.execute(sql`insert into system_role (id, system_id, name, accepts, quorum, impact)
        values (${id}, ${systemId}, ${roleName}, '{}', ${quorum}, ${impact})`);
      return id;
    };
    const displays = await role("displays", 2, "outage");
    const mics = await role("mics", 1, "degraded");
    await role("cameras", 1, "outage");
    await role("signage", 1, "none");

    const component = async (n: string, location: string, path: string, polled = true) => {
      const id = uuidv7();
      await tx.execute(sql`insert into component (id, name, location_id, path, template_id)
        values (${id}, ${n}, ${location}, ${`${path}.${n}`}, ${tpl.id})`);
      await tx.execute(sql`insert into component_interface (id, component_id, name, protocol, node_id)
        values (${uuidv7()}, ${id}, 'http', 'http', ${polled ? nodeId : null})`);
      if (polled)
        await tx.execute(sql`insert into series (owner_kind, component_id, signal_id, value, ts,
            provenance, source_id, state, state_since)
          values ('component', ${id}, ${signal.id}, 'true', now(), 'observed', ${nodeId}, 'fresh', now())`);
      return id;
    };
    const r1Path = `${name}.b1.r1`;
    const components = {
      displayLeft: await component("display-left", r1, r1Path),
      displayRight: await component("display-right", r1, r1Path),
      mic: await component("mic-1", r1, r1Path),
      codec: await component("codec", r1, r1Path),
      sensor: await component("sensor-1", r2, `${name}.b1.r2`),
      unpolled: await component("unpolled", r2, `${name}.b1.r2`, false),
    };
    const member = (c: string, roleId: string | null) =>
      tx.execute(sql`insert into system_member (system_id, component_id, role_id)
        values (${systemId}, ${c}, ${roleId})`);
    await member(components.displayLeft, displays);
    await member(components.displayRight, displays);
    await member(components.mic, mics);
    await member(components.codec, null);

    const ruleId = uuidv7();
    await tx.execute(sql`insert into event_rule (id, name, severity, fire, scope_kind,
        scope_component_id, origin)
      values (${ruleId}, ${`${name}-manual`}, 'critical', 'false', 'owner', ${components.codec}, 'custom')`);
    const otherRuleId = uuidv7();
    await tx.execute(sql`insert into event_rule (id, name, severity, fire, scope_kind,
        scope_component_id, origin)
      values (${otherRuleId}, ${`${name}-manual-2`}, 'critical', 'false', 'owner', ${components.codec}, 'custom')`);
    return {
      name,
      nodeId,
      ruleId,
      otherRuleId,
      locations: { campus, building, r1, r2 },
      systemId,
      components,
    };
  });
}

/** Opens an alarm on a component directly (the rule `ruleId`, never evaluated: `fire` is false). */
export async function unsafeOpenTestAlarm(
  db: Database,
  {
    ruleId,
    componentId,
    severity,
    summary,
  }: { ruleId: string; componentId: string; severity: string; summary: string },
): Promise<string> {
  const id = uuidv7();
  await db.execute(sql`insert into alarm (id, rule_id, owner_kind, component_id, severity, summary,
      lifecycle, opened_at)
    values (${id}, ${ruleId}, 'component', ${componentId}, ${severity}, ${summary}, 'open', now())`);
  return id;
}
