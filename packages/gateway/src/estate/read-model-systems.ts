import { sql } from "drizzle-orm";
import type { RoleSpec, SystemSpec } from "@omniglass/estate";
import { placedScopeCondition } from "../locations/scope";
import { component, system } from "../schema";
import { cond, optional, rows, type ReadContext } from "./read-model-kit";

/**
 * Systems in `system:read` scope, with their roles and their members (those the caller may read
 * as components: a member outside that scope is left out).
 */
export async function readSystems({
  db,
  actor,
  objects,
  ids,
  state,
  placedIn,
}: ReadContext): Promise<void> {
  const systemScope = cond(
    placedScopeCondition(actor, "system:read", { path: system.path, systemId: system.id }),
  );
  const systems = await rows<{
    id: string;
    path: string;
    type: string;
    label: string | null;
    history: boolean;
  }>(
    db,
    sql`select system.id, system.path, t.name as type, system.label,
          exists (select 1 from alarm a where a.system_id = system.id)
            or exists (select 1 from health_transition h where h.system_id = system.id) as history
        from ${system} join system_type t on t.id = ${system.typeId}
        where ${systemScope} and ${placedIn(sql`${system.path}`)}`,
  );
  const systemSpecs = new Map<string, SystemSpec>();
  for (const s of systems) {
    const address = `system.${s.path}`;
    ids.set(address, s.id);
    const spec: SystemSpec = {
      type: s.type,
      ...optional("label", s.label),
      roles: {},
      members: {},
      labels: {},
      metadata: {},
    };
    systemSpecs.set(s.id, spec);
    objects[address] = { kind: "system", spec, state: state(address, s.history) };
  }

  if (systemSpecs.size > 0) {
    const roles = await rows<{
      system_id: string;
      name: string;
      label: string | null;
      accepts: string[];
      quorum: number;
      impact: RoleSpec["impact"];
    }>(
      db,
      sql`select r.system_id, r.name, r.label, r.accepts, r.quorum, r.impact
          from system_role r join ${system} on ${system.id} = r.system_id
          where ${systemScope} and ${placedIn(sql`${system.path}`)}`,
    );
    for (const r of roles) {
      const spec = systemSpecs.get(r.system_id);
      if (!spec) continue;
      spec.roles[r.name] = {
        ...optional("label", r.label),
        accepts: [...r.accepts],
        quorum: r.quorum,
        impact: r.impact,
      };
    }
  }

  const componentScope = cond(
    placedScopeCondition(actor, "component:read", {
      path: component.path,
      componentId: component.id,
    }),
  );
  if (systemSpecs.size > 0) {
    // Members the caller may read as components (a member outside that scope is left out).
    const members = await rows<{
      system_id: string;
      path: string;
      is_primary: boolean;
      role: string | null;
    }>(
      db,
      sql`select m.system_id, ${component.path} as path, m.is_primary, r.name as role
          from system_member m
          join ${component} on ${component.id} = m.component_id
          left join system_role r on r.id = m.role_id
          where ${componentScope}`,
    );
    for (const m of members) {
      const spec = systemSpecs.get(m.system_id);
      if (!spec) continue;
      spec.members[`component.${m.path}`] = {
        primary: m.is_primary,
        ...optional("role", m.role),
      };
    }
  }
}
