import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { TemplateDocument } from "@omniglass/contracts";
import type { Database } from "../db";

export interface SuppressionRoom {
  locationId: string;
  path: string;
  systemId: string;
  systemPath: string;
  /** An SNMP network switch (no dependency hints). */
  switch: string;
  /** A control processor (depends on a network-switch). */
  cp: string;
  /** A display (depends on a control-processor). */
  display: string;
}

export interface SuppressionEstate {
  name: string;
  nodeId: string;
  nodeName: string;
  rooms: { r1: SuppressionRoom; r2: SuppressionRoom };
  /** Custom rules that never fire by themselves (`fire: false`), to open alarms by hand. */
  rules: { critical: string; warning: string };
}

/**
 * The dependency suppression tests' estate, written directly (no actor, no audit; never used on
 * an operator's estate): `<name>` campus › `b1` › rooms `r1` and `r2`, each with a meeting-room
 * system `av` whose members are a switch, a control processor and a display of the official
 * templates (display → control processor → switch by their dependency hints), every interface
 * polled by one node that has never heartbeated (so the clock raises no collector-down for it).
 */
export async function unsafeSeedSuppressionEstate(
  db: Database,
  name: string,
): Promise<SuppressionEstate> {
  return db.transaction(async (tx) => {
    const one = async <T>(q: ReturnType<typeof sql>) => (await tx.execute(q)).rows[0] as T;
    const locationType = (n: string) =>
      one<{ id: string }>(sql`select id from location_type where name = ${n}`);
    const templateOf = (n: string) =>
      one<{ id: string; document: TemplateDocument }>(
        sql`select id, document from template where name = ${n} order by version desc limit 1`,
      );
    const meetingRoom = await one<{ id: string }>(
      sql`select id from system_type where name = 'meeting-room'`,
    );
    const templates = {
      switch: await templateOf("snmp-network-switch"),
      cp: await templateOf("control-processor"),
      display: await templateOf("http-json-display"),
    };
    const location = async (parent: string | null, type: string, path: string, depth: number) => {
      const id = uuidv7();
      const t = await locationType(type);
      await tx.execute(sql`insert into location (id, parent_id, type_id, name, path, depth)
        values (${id}, ${parent}, ${t.id}, ${path.split(".").pop()!}, ${path}, ${depth})`);
      return id;
    };
    const campus = await location(null, "campus", name, 0);
    const building = await location(campus, "building", `${name}.b1`, 1);

    const nodeId = uuidv7();
    const nodeName = `${name}-node`;
    await tx.execute(
      sql`insert into principal (id, kind, name) values (${nodeId}, 'node', ${nodeName})`,
    );
    await tx.execute(sql`insert into node (id, location_id, enrolled_at)
      values (${nodeId}, ${campus}, now())`);

    const room = async (roomName: string): Promise<SuppressionRoom> => {
      const path = `${name}.b1.${roomName}`;
      const locationId = await location(building, "room", path, 2);
      const systemId = uuidv7();
      const systemPath = `${path}.av`;
      await tx.execute(sql`insert into system (id, name, type_id, location_id, path)
        values (${systemId}, 'av', ${meetingRoom.id}, ${locationId}, ${systemPath})`);
      const component = async (n: string, tpl: { id: string; document: TemplateDocument }) => {
        const id = uuidv7();
        await tx.execute(sql`insert into component (id, name, location_id, path, template_id, address)
          values (${id}, ${n}, ${locationId}, ${`${path}.${n}`}, ${tpl.id}, '127.0.0.1')`);
        for (const iface of tpl.document.interfaces)
          await tx.execute(sql`insert into component_interface (id, component_id, name, protocol, node_id)
            values (${uuidv7()}, ${id}, ${iface.name}, ${iface.protocol}, ${nodeId})`);
        await tx.execute(sql`insert into system_member (system_id, component_id, is_primary)
          values (${systemId}, ${id}, true)`);
        return id;
      };
      return {
        locationId,
        path,
        systemId,
        systemPath,
        switch: await component("switch", templates.switch),
        cp: await component("cp", templates.cp),
        display: await component("display", templates.display),
      };
    };
    const rooms = { r1: await room("r1"), r2: await room("r2") };

    const rule = async (suffix: string, severity: string) => {
      const id = uuidv7();
      await tx.execute(sql`insert into event_rule (id, name, severity, fire, scope_kind, origin)
        values (${id}, ${`${name}-${suffix}`}, ${severity}, 'false', 'all', 'custom')`);
      return id;
    };
    return {
      name,
      nodeId,
      nodeName,
      rooms,
      rules: { critical: await rule("down", "critical"), warning: await rule("hot", "warning") },
    };
  });
}
