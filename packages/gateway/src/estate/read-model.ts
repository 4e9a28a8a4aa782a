import { sql, type SQL } from "drizzle-orm";
import { hasCapability, type Actor } from "@omniglass/domain";
import {
  isSecretKey,
  kindOf,
  modelOf,
  referencesOf,
  type Address,
  type ComponentSpec,
  type EstateModel,
  type EstateObject,
  type InterfaceSpec,
  type Json,
  type ObjectState,
  type RoleSpec,
  type RuleSpec,
  type WindowSpec,
  type SystemSpec,
} from "@omniglass/estate";
import type { Database, Transaction } from "../db";
import { escapeLike, locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { component, location, node, system } from "../schema";

type Db = Database | Transaction;

export interface ReadModelOptions {
  /** A location path: only what is placed in its subtree (and the registries). */
  subtree?: string;
}

export interface ReadModel {
  model: EstateModel;
  /** Object ids by address (what an apply or drift needs to find the row). */
  ids: Map<Address, string>;
  /** Statements sent (one per object kind, bounded whatever the estate's size). */
  statements: number;
}

const rows = async <T>(db: Db, query: SQL): Promise<T[]> => (await db.execute(query)).rows as T[];
const cond = (scope: SQL | undefined) => scope ?? sql`true`;
const optional = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * The current estate model (the `current` side of a plan) from PostgreSQL, in the caller's read
 * scope: locations, systems (roles, members), components (interfaces, node) and nodes the actor
 * may read (each kind under its own `<kind>:read`), plus the registries as `existing` rows —
 * one statement per kind, so 100,000 components read in one pass each. Objects outside the
 * caller's read scope are absent: a scoped caller's plan neither sees nor deletes them.
 *
 * Tags and plain variables are read too (platform ones only without a subtree), except what the
 * files could not declare literally: secret variables (the state holds no reference to write
 * back) and a binding whose key or value the loader takes for an inline secret (a plain
 * `snmp-community`): these stay outside the files — never planned, never deleted by a plan.
 *
 * Custom event rules are read (under `rule:read`, a registry; with a subtree only those scoped
 * inside it); template and built-in rules are the templates', never the files'.
 *
 * Maintenance windows are read in `maintenance:read` scope where they are placed (a template
 * scope is the platform's: only without a subtree).
 *
 * Not read yet (no change can be planned against them from the state): action rules, webhook
 * endpoints and grants.
 *
 * A location that what was read refers to (a parent, a placement, a binding's or a scope's
 * target) but that is outside the read scope or the subtree is listed as an `existing` stub:
 * its address only (which the referring path already reveals), no fields, never managed — as
 * `exportEstate(…, { subtree })` writes it, so a subtree's import plans with no changes and a
 * plan never creates, changes or deletes it. No statement reads it (every such path exists:
 * the referring row's foreign key holds it).
 */
export async function readEstateModel(
  db: Db,
  actor: Actor,
  options: ReadModelOptions = {},
): Promise<ReadModel> {
  const objects: Record<Address, EstateObject> = {};
  const ids = new Map<Address, string>();
  const sub = options.subtree;
  const locationIn = (column: SQL) =>
    sub ? sql`(${column} = ${sub} or ${column} like ${escapeLike(sub) + ".%"})` : sql`true`;
  const placedIn = (column: SQL) =>
    sub ? sql`${column} like ${escapeLike(sub) + ".%"}` : sql`true`;

  const managedRows = await rows<{ address: string; object_id: string | null }>(
    db,
    sql`select address, object_id from estate_managed`,
  );
  const managed = new Set(managedRows.map((r) => r.address));
  const state = (address: Address, hasHistory = false): ObjectState => ({
    managed: managed.has(address),
    ...(hasHistory ? { hasHistory: true } : {}),
  });

  const locationScope = cond(locationScopeCondition(actor, "location:read"));
  const locations = await rows<{
    id: string;
    path: string;
    type: string;
    label: string | null;
    history: boolean;
  }>(
    db,
    sql`select location.id, location.path, t.name as type, location.label,
          exists (select 1 from alarm a where a.location_id = location.id) as history
        from ${location} join location_type t on t.id = ${location.typeId}
        where ${locationScope} and ${locationIn(sql`${location.path}`)}`,
  );
  for (const l of locations) {
    const address = `location.${l.path}`;
    ids.set(address, l.id);
    objects[address] = {
      kind: "location",
      spec: { type: l.type, ...optional("label", l.label), labels: {}, metadata: {} },
      state: state(address, l.history),
    };
  }

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

  const components = await rows<{
    id: string;
    path: string;
    template: string;
    label: string | null;
    vendor: string | null;
    model: string | null;
    t_vendor: string | null;
    t_model: string | null;
    serial: string | null;
    mac: string | null;
    address: string | null;
    history: boolean;
  }>(
    db,
    sql`select component.id, component.path, t.name || '@' || t.version as template,
          component.label, component.vendor, component.model, t.vendor as t_vendor,
          t.model as t_model, component.serial, component.mac, component.address,
          exists (select 1 from alarm a where a.component_id = component.id)
            or exists (select 1 from series s where s.component_id = component.id)
            or exists (select 1 from health_transition h where h.component_id = component.id) as history
        from ${component} join template t on t.id = ${component.templateId}
        where ${componentScope} and ${placedIn(sql`${component.path}`)}`,
  );
  const componentSpecs = new Map<string, ComponentSpec>();
  for (const c of components) {
    const address = `component.${c.path}`;
    ids.set(address, c.id);
    const spec: ComponentSpec = {
      template: `template.${c.template}`,
      ...optional("label", c.label),
      // Create fills vendor and model from the template: equal to it is "not declared".
      ...optional("vendor", c.vendor === c.t_vendor ? null : c.vendor),
      ...optional("model", c.model === c.t_model ? null : c.model),
      ...optional("serial", c.serial),
      ...optional("mac", c.mac),
      ...optional("address", c.address),
      interfaces: {},
      labels: {},
      metadata: {},
    };
    componentSpecs.set(c.id, spec);
    objects[address] = { kind: "component", spec, state: state(address, c.history) };
  }

  if (componentSpecs.size > 0) {
    const interfaces = await rows<{
      component_id: string;
      name: string;
      node: string | null;
      host: string | null;
      port: number | null;
    }>(
      db,
      sql`select i.component_id, i.name, p.name as node, i.host, i.port
          from component_interface i
          join ${component} on ${component.id} = i.component_id
          left join principal p on p.id = i.node_id
          where ${componentScope} and ${placedIn(sql`${component.path}`)}
          order by i.component_id, i.name`,
    );
    const byComponent = new Map<string, typeof interfaces>();
    for (const i of interfaces) {
      const list = byComponent.get(i.component_id) ?? [];
      list.push(i);
      byComponent.set(i.component_id, list);
    }
    for (const [componentId, list] of byComponent) {
      const spec = componentSpecs.get(componentId);
      if (!spec) continue;
      // The canonical form: one node polling every interface is the component's `node`; an
      // interface is listed only for what differs from that (its own node, host or port).
      const nodes = new Set(list.map((i) => i.node));
      const shared = nodes.size === 1 ? [...nodes][0]! : null;
      if (shared) spec.node = `node.${shared}`;
      for (const i of list) {
        const entry: InterfaceSpec = {
          ...optional("node", i.node && i.node !== shared ? `node.${i.node}` : null),
          ...optional("host", i.host),
          ...optional("port", i.port),
        };
        if (Object.keys(entry).length > 0) spec.interfaces[i.name] = entry;
      }
    }
  }

  const nodeScope = cond(locationScopeCondition(actor, "node:read", location.path));
  const nodes = await rows<{ id: string; name: string; label: string | null; path: string }>(
    db,
    sql`select node.id, p.name, p.label, ${location.path} as path
        from ${node} join principal p on p.id = ${node.id}
        join ${location} on ${location.id} = ${node.locationId}
        where ${nodeScope} and ${locationIn(sql`${location.path}`)}`,
  );
  for (const n of nodes) {
    const address = `node.${n.name}`;
    ids.set(address, n.id);
    objects[address] = {
      kind: "node",
      spec: { location: `location.${n.path}`, ...optional("label", n.label) },
      state: state(address),
    };
  }

  for (const kind of ["tag", "variable"] as const) {
    const capability = `${kind}:read`;
    const bindings = await rows<{
      id: string;
      key: string;
      level: "platform" | "location" | "system" | "component";
      value: Json;
      location_path: string | null;
      system_path: string | null;
      component_path: string | null;
    }>(
      db,
      sql`select b.id, b.key, b.level, b.value, ${location.path} as location_path,
            ${system.path} as system_path, ${component.path} as component_path
          from estate_binding b
          left join ${location} on ${location.id} = b.location_id
          left join ${system} on ${system.id} = b.system_id
          left join ${component} on ${component.id} = b.component_id
          where b.kind = ${kind} and not b.secret and (
            (b.level = 'platform' and ${sub ? sql`false` : sql`true`})
            or (b.level = 'location' and ${cond(locationScopeCondition(actor, capability, location.path))}
              and ${locationIn(sql`${location.path}`)})
            or (b.level = 'system' and ${cond(placedScopeCondition(actor, capability, { path: system.path, systemId: system.id }))}
              and ${placedIn(sql`${system.path}`)})
            or (b.level = 'component' and ${cond(placedScopeCondition(actor, capability, { path: component.path, componentId: component.id }))}
              and ${placedIn(sql`${component.path}`)}))`,
    );
    for (const b of bindings) {
      if (holdsInlineSecret(b.key, b.value)) continue;
      const path =
        b.level === "location"
          ? b.location_path
          : b.level === "system"
            ? b.system_path
            : b.component_path;
      const target = b.level === "platform" ? "platform" : `${b.level}.${path}`;
      const address = `${kind}.${target}.${b.key}`;
      ids.set(address, b.id);
      objects[address] =
        kind === "tag"
          ? { kind, spec: { value: String(b.value) }, state: state(address) }
          : { kind, spec: { value: b.value }, state: state(address) };
    }
  }

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

  addLocationStubs(objects);

  // Registries, listed as existing (the plan checks references to them against the state).
  const registries = await rows<{ address: string }>(
    db,
    sql`select 'template.' || name || '@' || version as address from template
        union all select 'system-type.' || name from system_type
        union all select 'role.' || name from role
        union all select 'principal.' || name from principal where kind <> 'node'`,
  );
  for (const r of registries) {
    const kind = r.address.slice(0, r.address.indexOf(".")) as "template";
    objects[r.address] ??= { kind, existing: true };
  }

  return { model: modelOf(objects), ids, statements: 13 };
}

/**
 * `existing` stubs for the locations the objects refer to that were not read (outside the read
 * scope or the subtree): the address only, no state (never managed).
 */
function addLocationStubs(objects: Record<Address, EstateObject>) {
  const missing = new Set<Address>();
  for (const [address, object] of Object.entries(objects)) {
    for (const { to } of referencesOf(address, object)) {
      if (objects[to] === undefined && kindOf(to) === "location") missing.add(to);
    }
  }
  for (const address of missing) objects[address] = { kind: "location", existing: true };
}

/** Our token and webhook secret formats (the loader's inline-secret values). */
const SECRET_VALUE = /^(whsec_[A-Za-z0-9+/=]{16,}|og_[A-Za-z0-9_-]{20,})$/;

/**
 * Whether the loader would refuse this binding written literally (its `inline-secret` rule): a
 * secret-named key with a literal value, at the top or inside a JSON value, or a token-format
 * string anywhere (or a `${…}` text, which the loader reads as a reference). Such a binding cannot round-trip through the files, so it is not read.
 */
export function holdsInlineSecret(key: string, value: Json): boolean {
  const literal = (v: Json) => v !== null && v !== "" && typeof v !== "boolean";
  const walk = (k: string | null, v: Json): boolean => {
    if (k !== null && isSecretKey(k) && (typeof v !== "object" || v === null) && literal(v))
      return true;
    if (typeof v === "string") return SECRET_VALUE.test(v) || v.includes("${");
    if (Array.isArray(v)) return v.some((item) => walk(null, item));
    if (v !== null && typeof v === "object")
      return Object.entries(v).some(([inner, item]) => walk(inner, item));
    return false;
  };
  return walk(key, value);
}
