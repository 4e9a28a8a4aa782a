import { sql } from "drizzle-orm";
import { hasCapability } from "@omniglass/domain";
import type { WindowSpec } from "@omniglass/estate";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { component, location, system } from "../schema";
import { cond, optional, rows, type ReadContext } from "./read-model-kit";

/** Maintenance windows in `maintenance:read` scope where placed (template scopes: no subtree). */
export async function readWindows({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
  placedIn,
  sub,
}: ReadContext): Promise<void> {
  const windowRead = "maintenance:read";
  if (hasCapability(actor, windowRead)) {
    const windows = await rows<{
      id: string;
      name: string;
      label: string | null;
      description: string;
      scope_kind: "location" | "system" | "template" | "owner";
      scope_template: string | null;
      location_path: string | null;
      system_path: string | null;
      component_path: string | null;
      dtstart: string;
      time_zone: string;
      duration: string;
      rrule: string | null;
      enabled: boolean;
    }>(
      db,
      sql`select w.id, w.name, w.label, w.description, w.scope_kind, w.scope_template,
            ${location.path} as location_path, ${system.path} as system_path,
            ${component.path} as component_path, w.dtstart, w.time_zone, w.duration, w.rrule,
            w.enabled
          from maintenance_window w
          left join ${location} on ${location.id} = w.scope_location_id
          left join ${system} on ${system.id} = w.scope_system_id
          left join ${component} on ${component.id} = w.scope_component_id
          where (w.scope_kind = 'template' and ${sub ? sql`false` : sql`true`})
            or (w.scope_kind = 'location' and ${cond(locationScopeCondition(actor, windowRead, location.path))}
              and ${locationIn(sql`${location.path}`)})
            or (w.scope_kind = 'system' and ${cond(placedScopeCondition(actor, windowRead, { path: system.path, systemId: system.id }))}
              and ${placedIn(sql`${system.path}`)})
            or (w.scope_kind = 'owner' and ${cond(placedScopeCondition(actor, windowRead, { path: component.path, componentId: component.id }))}
              and ${placedIn(sql`${component.path}`)})`,
    );
    for (const w of windows) {
      const scope =
        w.scope_kind === "template"
          ? `template.${w.scope_template}`
          : w.scope_kind === "location"
            ? `location.${w.location_path}`
            : w.scope_kind === "system"
              ? `system.${w.system_path}`
              : `component.${w.component_path}`;
      const address = `window.${w.name}`;
      ids.set(address, w.id);
      const spec: WindowSpec = {
        ...optional("label", w.label),
        ...optional("description", w.description === "" ? null : w.description),
        scope,
        dtstart: w.dtstart,
        timeZone: w.time_zone,
        duration: w.duration,
        ...optional("rrule", w.rrule),
        enabled: w.enabled,
      };
      objects[address] = { kind: "window", spec, state: state(address) };
    }
  }
}
