import { bodyOf, inSubtree, kindOf, parentPath, REGISTRY_KINDS, type Address } from "./address";
import { cmp } from "./diagnostics";
import { estateText } from "./export-writer";
import type { EstateFile } from "./load";
import {
  isExisting,
  modelOf,
  type EstateModel,
  type EstateObject,
  type Json,
  type SecretRef,
  type Specs,
  type VariableSpec,
} from "./model";
import { bindingKey, bindingTarget, referencesOf } from "./references";
import { DEFAULTS, ESTATE_FORMAT_VERSION } from "./schema";

/*
 * Import: estate files from a model (today's state, or a subtree of it), such that loading
 * them gives the model back exactly. Keys are in a fixed order (sections as in the schema,
 * objects by address, fields as the schema lists them); defaults and empty records are left
 * out; references are written bare where the field fixes their kind.
 */

export interface ExportOptions {
  /** The file name (default `estate.yaml`). */
  entry?: string;
  /** Only this location's subtree, with `existing: true` stubs for what it refers to outside. */
  subtree?: Address;
  /** A comment written at the top (default: what wrote the file). */
  header?: string;
}

const LOCAL_KINDS = new Set(["location", "system", "component", "node", "rule", "endpoint"]);
const REGISTRY = new Set<string>(REGISTRY_KINDS);

/**
 * What an export of `model` loads back as: the model without state (managed flags, history)
 * and without registry rows (templates, roles, principals, system types are not written).
 */
export function exportableModel(model: EstateModel): EstateModel {
  const objects: Record<Address, EstateObject> = {};
  for (const [address, object] of Object.entries(model.objects)) {
    if (REGISTRY.has(kindOf(address) ?? "")) continue;
    const { state: _state, ...rest } = object;
    objects[address] = rest as EstateObject;
  }
  return modelOf(objects);
}

/**
 * The part of a model inside a location's subtree: locations in it; systems, components, nodes
 * and endpoints placed in it; bindings on those; rules, windows, action rules and grants scoped
 * to them. What they refer to outside becomes an `existing: true` stub.
 */
export function selectSubtree(model: EstateModel, root: Address): EstateModel {
  const base = exportableModel(model).objects;
  const path = bodyOf(root);
  const placedIn = (location: Address | undefined) =>
    location !== undefined && kindOf(location) === "location" && inSubtree(bodyOf(location), path);
  const inside = (address: Address): boolean => {
    const object = base[address];
    if (object === undefined) return false;
    const kind = kindOf(address);
    if (kind === "location") return inSubtree(bodyOf(address), path);
    if (kind === "system" || kind === "component")
      return inSubtree(parentPath(bodyOf(address)) ?? "", path);
    if (isExisting(object)) return false;
    switch (object.kind) {
      case "node":
        return placedIn(object.spec.location);
      case "endpoint":
        return placedIn(object.spec.location);
      case "tag":
      case "variable": {
        const target = bindingTarget(address);
        return (
          target !== "platform" &&
          base[target] !== undefined &&
          !isExisting(base[target]!) &&
          inside(target)
        );
      }
      case "rule":
      case "window":
      case "action-rule":
      case "grant":
        return (
          object.spec.scope !== "all" &&
          base[object.spec.scope] !== undefined &&
          inside(object.spec.scope)
        );
      default:
        return false;
    }
  };
  const objects: Record<Address, EstateObject> = {};
  for (const address of Object.keys(base)) {
    if (inside(address)) objects[address] = base[address]!;
  }
  for (const [address, object] of Object.entries(objects)) {
    for (const { to } of referencesOf(address, object)) {
      if (objects[to] === undefined && LOCAL_KINDS.has(kindOf(to) ?? "")) {
        objects[to] = { kind: kindOf(to) as "location", existing: true };
      }
    }
  }
  return modelOf(objects);
}

/** A reference as the file writes it: bare, unless the bare body would read as another kind. */
function bare(address: Address): string {
  const body = bodyOf(address);
  return kindOf(body) === null ? body : address;
}

/** A component member reference: its name when it is in the system's location. */
function memberRef(component: Address, location: string): string {
  const body = bodyOf(component);
  return parentPath(body) === location ? body.slice(location.length + 1) : bare(component);
}

function secretText(secret: SecretRef): Json {
  return "env" in secret ? `\${env:${secret.env}}` : { secretRef: secret.secretRef };
}

type Out = Record<string, unknown>;

/** Sets `key` unless the value is absent, an empty record, or the default. */
function put(out: Out, key: string, value: unknown, fallback?: unknown) {
  if (value === undefined) return;
  if (fallback !== undefined && value === fallback) return;
  if (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  )
    return;
  out[key] = value;
}

function bindingsOf(
  objects: Record<Address, EstateObject>,
): Map<Address, { tags: Out; variables: Out }> {
  const out = new Map<Address, { tags: Out; variables: Out }>();
  for (const [address, object] of Object.entries(objects)) {
    if (isExisting(object) || (object.kind !== "tag" && object.kind !== "variable")) continue;
    const target = bindingTarget(address);
    const entry = out.get(target) ?? { tags: {}, variables: {} };
    if (object.kind === "tag") entry.tags[bindingKey(address)] = object.spec.value;
    else {
      const spec = object.spec as VariableSpec;
      entry.variables[bindingKey(address)] =
        "secret" in spec ? secretText(spec.secret) : spec.value;
    }
    out.set(target, entry);
  }
  return out;
}

function entryOf(
  address: Address,
  object: EstateObject,
  bindings: { tags: Out; variables: Out } | undefined,
): Out {
  const out: Out = {};
  if (isExisting(object)) {
    out.existing = true;
  } else {
    switch (object.kind) {
      case "location": {
        const s = object.spec;
        put(out, "type", s.type);
        put(out, "label", s.label);
        put(out, "labels", s.labels);
        put(out, "metadata", s.metadata);
        break;
      }
      case "system": {
        const s = object.spec;
        const location = parentPath(bodyOf(address)) ?? "";
        put(out, "type", s.type);
        put(out, "label", s.label);
        const roles: Out = {};
        for (const [name, role] of Object.entries(s.roles)) {
          const r: Out = {};
          put(r, "label", role.label);
          put(r, "accepts", role.accepts);
          put(r, "quorum", role.quorum, DEFAULTS.quorum);
          put(r, "impact", role.impact);
          roles[name] = r;
        }
        put(out, "roles", roles);
        const members = Object.entries(s.members).map(([component, member]) => {
          const ref = memberRef(component, location);
          if (!member.primary && member.role === undefined) return ref;
          const m: Out = { component: ref };
          put(m, "role", member.role);
          put(m, "primary", member.primary, DEFAULTS.primary);
          return m;
        });
        if (members.length > 0) out.members = members;
        put(out, "labels", s.labels);
        put(out, "metadata", s.metadata);
        break;
      }
      case "component": {
        const s = object.spec;
        put(out, "template", bare(s.template));
        for (const key of ["label", "vendor", "model", "serial", "mac", "address"] as const)
          put(out, key, s[key]);
        put(out, "node", s.node && bare(s.node));
        const interfaces: Out = {};
        for (const [name, binding] of Object.entries(s.interfaces)) {
          const i: Out = {};
          put(i, "node", binding.node && bare(binding.node));
          put(i, "host", binding.host);
          put(i, "port", binding.port);
          interfaces[name] = i;
        }
        put(out, "interfaces", interfaces);
        put(out, "labels", s.labels);
        put(out, "metadata", s.metadata);
        break;
      }
      case "node":
        put(out, "location", bare(object.spec.location));
        put(out, "label", object.spec.label);
        break;
      case "rule": {
        const s = object.spec;
        put(out, "ownerKind", s.ownerKind, DEFAULTS.ownerKind);
        put(out, "label", s.label);
        put(out, "description", s.description);
        put(out, "severity", s.severity);
        put(out, "fire", s.fire);
        put(out, "clear", s.clear);
        put(out, "sustainSeconds", s.sustainSeconds, DEFAULTS.sustainSeconds);
        put(out, "scope", s.scope, DEFAULTS.ruleScope);
        put(out, "enabled", s.enabled, DEFAULTS.enabled);
        put(out, "flapWindowSeconds", s.flapWindowSeconds, DEFAULTS.flapWindowSeconds);
        put(out, "flapThreshold", s.flapThreshold, DEFAULTS.flapThreshold);
        break;
      }
      case "window": {
        const s = object.spec;
        put(out, "label", s.label);
        put(out, "description", s.description);
        put(out, "scope", s.scope);
        put(out, "dtstart", s.dtstart);
        put(out, "timeZone", s.timeZone);
        put(out, "duration", s.duration);
        put(out, "rrule", s.rrule);
        put(out, "enabled", s.enabled, DEFAULTS.enabled);
        break;
      }
      case "action-rule": {
        const s = object.spec;
        put(out, "label", s.label);
        put(out, "enabled", s.enabled, DEFAULTS.enabled);
        put(out, "scope", s.scope, DEFAULTS.actionScope);
        const m: Out = {};
        put(m, "severities", s.matchers.severities);
        put(m, "rules", s.matchers.rules?.map(bare));
        put(m, "kinds", s.matchers.kinds);
        put(m, "suppressed", s.matchers.suppressed);
        put(m, "acknowledged", s.matchers.acknowledged);
        put(out, "matchers", m);
        put(out, "endpoints", s.endpoints.map(bare));
        break;
      }
      case "endpoint": {
        const s = object.spec;
        put(out, "label", s.label);
        put(out, "url", s.url);
        put(out, "location", s.location && bare(s.location));
        put(out, "enabled", s.enabled, DEFAULTS.enabled);
        put(out, "secret", s.secret && secretText(s.secret));
        break;
      }
      default:
        break;
    }
  }
  put(out, "tags", bindings?.tags);
  put(out, "variables", bindings?.variables);
  return out;
}

const SECTION_OF: Record<string, string> = {
  location: "locations",
  system: "systems",
  component: "components",
  node: "nodes",
  rule: "rules",
  window: "maintenanceWindows",
  "action-rule": "actionRules",
  endpoint: "webhookEndpoints",
};
const SECTION_ORDER = [
  "locations",
  "systems",
  "components",
  "nodes",
  "rules",
  "maintenanceWindows",
  "silenceDefaults",
  "actionRules",
  "webhookEndpoints",
  "grants",
];

/**
 * Writes `model` (or the subtree `options.subtree` of it) as estate files: one file, named
 * `options.entry`. `loadEstate` of the result gives `exportableModel(model)` back (or
 * `selectSubtree(model, subtree)`) exactly.
 */
export function exportEstate(model: EstateModel, options: ExportOptions = {}): EstateFile[] {
  const selected = options.subtree ? selectSubtree(model, options.subtree) : exportableModel(model);
  const objects = selected.objects;
  const bindings = bindingsOf(objects);
  // Bindings on targets the model does not hold: the target is written as a stub.
  for (const target of bindings.keys()) {
    if (target !== "platform" && objects[target] === undefined) {
      objects[target] = { kind: kindOf(target) as "location", existing: true };
    }
  }
  const sections: Record<string, unknown> = {};
  const grants: Out[] = [];
  for (const address of Object.keys(objects).sort(cmp)) {
    const object = objects[address]!;
    const kind = kindOf(address);
    if (kind === "tag" || kind === "variable") continue;
    if (kind === "silence-defaults" && !isExisting(object)) {
      const spec = (object as { spec: Specs["silence-defaults"] }).spec;
      const out: Out = {};
      put(out, "duration", spec.duration);
      put(out, "maxDuration", spec.maxDuration);
      sections.silenceDefaults = out;
      continue;
    }
    if (kind === "grant" && !isExisting(object)) {
      const spec = (object as { spec: Specs["grant"] }).spec;
      const out: Out = { principal: bare(spec.principal), role: bare(spec.role) };
      put(out, "scope", spec.scope, DEFAULTS.grantScope);
      put(out, "operator", spec.operator, DEFAULTS.locationOperator);
      grants.push(out);
      continue;
    }
    const section = SECTION_OF[kind ?? ""];
    if (!section) continue;
    const map = (sections[section] ??= {}) as Out;
    map[bare(address)] = entryOf(address, object, bindings.get(address));
  }
  if (grants.length > 0) sections.grants = grants;

  const root: Out = { version: ESTATE_FORMAT_VERSION };
  const platform = bindings.get("platform");
  put(root, "tags", platform?.tags);
  put(root, "variables", platform?.variables);
  for (const section of SECTION_ORDER)
    if (sections[section] !== undefined) root[section] = sections[section];

  const header =
    ` ${options.header ?? "Omniglass estate, written by `omniglass estate import`."}` +
    (options.subtree
      ? `\n Subtree: ${options.subtree} (what it refers to outside is marked existing: true).`
      : "");
  // Written directly (yaml's Document stringify, the same text, is the fallback: export-writer.ts).
  return [{ path: options.entry ?? "estate.yaml", text: estateText(root, header) }];
}
