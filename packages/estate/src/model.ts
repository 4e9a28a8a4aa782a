import type { Address } from "./address";
import { cmp } from "./diagnostics";

/*
 * The estate model: what the files declare (desired) or what the database holds (current,
 * built by the gateway), in one shape so that a plan is a diff of two models. Normalized:
 * addresses are typed, defaults are filled, optional scalars are absent when unset (never null),
 * records (roles, members, interfaces, labels, metadata) are always present, and every object
 * and record is in sorted key order.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A secret by reference: an environment variable of the applying host, or a named secret. */
export type SecretRef = { env: string } | { secretRef: string };

export type Impact = "outage" | "degraded" | "none";
export type Severity = "info" | "warning" | "critical";

export interface LocationSpec {
  type: string;
  label?: string;
  labels: Record<string, string>;
  metadata: Record<string, Json>;
}

export interface RoleSpec {
  label?: string;
  accepts: string[];
  quorum: number;
  impact: Impact;
}

export interface MemberSpec {
  primary: boolean;
  role?: string;
}

export interface SystemSpec {
  type: string;
  label?: string;
  roles: Record<string, RoleSpec>;
  /** By component address. */
  members: Record<Address, MemberSpec>;
  labels: Record<string, string>;
  metadata: Record<string, Json>;
}

export interface InterfaceSpec {
  node?: Address;
  host?: string;
  port?: number;
}

export interface ComponentSpec {
  /** `template.<name>@<version>`. */
  template: Address;
  label?: string;
  vendor?: string;
  model?: string;
  serial?: string;
  mac?: string;
  address?: string;
  node?: Address;
  interfaces: Record<string, InterfaceSpec>;
  labels: Record<string, string>;
  metadata: Record<string, Json>;
}

export interface NodeSpec {
  location: Address;
  label?: string;
}

export interface TagSpec {
  value: string;
}

/** A plain value, or a secret variable held by reference. */
export type VariableSpec = { value: Json } | { secret: SecretRef };

export interface RuleSpec {
  ownerKind: "component" | "system";
  label?: string;
  description?: string;
  severity: Severity;
  fire: string;
  clear?: string;
  sustainSeconds: number;
  /** `all` or a typed address. */
  scope: Address;
  enabled: boolean;
  flapWindowSeconds: number;
  flapThreshold: number;
}

export interface WindowSpec {
  label?: string;
  description?: string;
  scope: Address;
  dtstart: string;
  timeZone: string;
  duration: string;
  rrule?: string;
  enabled: boolean;
}

export interface SilenceDefaultsSpec {
  duration?: string;
  maxDuration?: string;
}

export interface ActionRuleSpec {
  label?: string;
  enabled: boolean;
  scope: Address;
  matchers: {
    severities?: Severity[];
    rules?: Address[];
    kinds?: string[];
    suppressed?: boolean | "any";
    acknowledged?: boolean;
  };
  endpoints: Address[];
}

export interface EndpointSpec {
  label?: string;
  url: string;
  location?: Address;
  enabled: boolean;
  secret?: SecretRef;
}

export interface GrantSpec {
  principal: Address;
  role: Address;
  /** `all`, a location or a system address. */
  scope: Address;
  /** Location scopes only. */
  operator?: "subtree" | "descendants" | "self";
}

export interface Specs {
  location: LocationSpec;
  system: SystemSpec;
  component: ComponentSpec;
  node: NodeSpec;
  tag: TagSpec;
  variable: VariableSpec;
  rule: RuleSpec;
  window: WindowSpec;
  "silence-defaults": SilenceDefaultsSpec;
  "action-rule": ActionRuleSpec;
  endpoint: EndpointSpec;
  grant: GrantSpec;
}
/** Kinds of objects a model holds with a spec. */
export type ObjectKind = keyof Specs;
/** Kinds a model may hold only as existing references (registries the gateway lists). */
export type ReferenceOnlyKind = "template" | "role" | "principal" | "system-type";

/**
 * What the database says about an object (current models only; the gateway fills it):
 * `managed` — it was created or last adopted by an estate apply, so the files own it: removing
 * it from the files deletes it. Unmanaged objects (made through the API or the console) are
 * never deleted by a plan. `hasHistory` — deleting it loses recorded data (samples, alarms,
 * health transitions, deliveries): the delete is irreversible.
 */
export interface ObjectState {
  managed: boolean;
  hasHistory?: boolean;
}

export type DeclaredObject = {
  [K in ObjectKind]: { kind: K; spec: Specs[K]; state?: ObjectState };
}[ObjectKind];

/**
 * `existing: true`: the object exists and the files do not manage it; they only refer to it.
 * Current models also list registry rows (templates, roles, principals) this way.
 */
export interface ExistingObject {
  kind: ObjectKind | ReferenceOnlyKind;
  existing: true;
  state?: ObjectState;
}

export type EstateObject = DeclaredObject | ExistingObject;

export interface EstateModel {
  version: 1;
  /** By typed address, in sorted order. */
  objects: Record<Address, EstateObject>;
}

export const isExisting = (object: EstateObject): object is ExistingObject =>
  "existing" in object && object.existing === true;

/** Deep copy with every object's keys in sorted order (arrays keep their order). */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    // The default sort compares UTF-16 code units, as `cmp` does: the same order, natively.
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = sortKeys(item);
    }
    return out as T;
  }
  return value;
}

/** JSON with sorted keys: the text hashed for digests and ids, and compared for equality. */
export function canonicalJson(value: unknown): string {
  // A model's objects are sorted already (modelOf): their JSON is the canonical text, no copy.
  return JSON.stringify(isSortedDeep(value) ? value : sortKeys(value));
}

/** Every object's keys, at any depth, in sorted order (what `sortKeys` would leave as is). */
function isSortedDeep(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isSortedDeep);
  if (value === null || typeof value !== "object") return true;
  // Anything but a plain object (a Date, say) goes the way it always went: through sortKeys.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | null = null;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (previous !== null && cmp(previous, key) >= 0) return false;
    previous = key;
    if (!isSortedDeep((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** A model from objects in any order: sorted, normalized. */
export function modelOf(objects: Record<Address, EstateObject>): EstateModel {
  return { version: 1, objects: sortKeys(objects) };
}
