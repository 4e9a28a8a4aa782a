import { sql } from "drizzle-orm";
import { hasCapability } from "@omniglass/domain";
import type { RuleSpec } from "@omniglass/estate";
import { optional, rows, type ReadContext } from "./read-model-kit";

/** Custom event rules under `rule:read` (a registry; with a subtree only those scoped inside it). */
export async function readRules({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
  placedIn,
  sub,
}: ReadContext): Promise<void> {
  if (hasCapability(actor, "rule:read")) {
    const rules = await rows<{
      id: string;
      name: string;
      label: string | null;
      description: string;
      severity: RuleSpec["severity"];
      fire: string;
      clear: string | null;
      sustain_seconds: number;
      scope_kind: "all" | "template" | "system-type" | "location" | "owner" | "system";
      owner_kind: RuleSpec["ownerKind"];
      enabled: boolean;
      flap_window_seconds: number;
      flap_threshold: number;
      s_template: string | null;
      s_type: string | null;
      s_location: string | null;
      s_component: string | null;
      s_system: string | null;
      history: boolean;
    }>(
      db,
      sql`select r.id, r.name, r.label, r.description, r.severity, r.fire, r.clear,
            r.sustain_seconds, r.scope_kind, r.owner_kind, r.enabled, r.flap_window_seconds,
            r.flap_threshold, t.name || '@' || t.version as s_template, st.name as s_type,
            l.path as s_location, c.path as s_component, s.path as s_system,
            exists (select 1 from alarm a where a.rule_id = r.id) as history
          from event_rule r
          left join template t on t.id = r.scope_template_id
          left join system_type st on st.id = r.scope_system_type_id
          left join location l on l.id = r.scope_location_id
          left join component c on c.id = r.scope_component_id
          left join system s on s.id = r.scope_system_id
          where r.origin = 'custom' and r.owner_kind in ('component', 'system')
            and ${
              sub
                ? sql`(${locationIn(sql`l.path`)} and l.path is not null
                    or ${placedIn(sql`c.path`)} or ${placedIn(sql`s.path`)})`
                : sql`true`
            }`,
    );
    for (const r of rules) {
      const scope =
        r.scope_kind === "all"
          ? "all"
          : r.scope_kind === "template"
            ? `template.${r.s_template}`
            : r.scope_kind === "system-type"
              ? `system-type.${r.s_type}`
              : r.scope_kind === "location"
                ? `location.${r.s_location}`
                : r.scope_kind === "owner"
                  ? `component.${r.s_component}`
                  : `system.${r.s_system}`;
      const address = `rule.${r.name}`;
      ids.set(address, r.id);
      objects[address] = {
        kind: "rule",
        spec: {
          ownerKind: r.owner_kind,
          ...optional("label", r.label),
          ...optional("description", r.description === "" ? null : r.description),
          severity: r.severity,
          fire: r.fire,
          ...optional("clear", r.clear),
          sustainSeconds: r.sustain_seconds,
          scope,
          enabled: r.enabled,
          flapWindowSeconds: r.flap_window_seconds,
          flapThreshold: r.flap_threshold,
        },
        state: state(address, r.history),
      };
    }
  }
}
