import { bodyOf, kindOf, parentPath, type Address } from "./address";
import { formatPath } from "./diagnostics";
import { isExisting, type EstateObject } from "./model";

/** One reference an object makes: to which address, from which field of its spec. */
export interface Reference {
  to: Address;
  /** The model path of the field (`members["component.campus.hq.room-1.display-1"]`, `node`). */
  field: string;
}

const SCOPE_WORDS = new Set(["all"]);

/** The target of a binding address (`tag.location.campus.hq.building` → `location.campus.hq`). */
export function bindingTarget(address: Address): Address {
  const body = bodyOf(address);
  return body.slice(0, body.lastIndexOf("."));
}

/** The key of a binding address (`tag.location.campus.hq.building` → `building`). */
export function bindingKey(address: Address): string {
  const body = bodyOf(address);
  return body.slice(body.lastIndexOf(".") + 1);
}

/** Every reference an object makes, in a stable order (placement first, then fields). */
export function referencesOf(address: Address, object: EstateObject): Reference[] {
  const kind = kindOf(address);
  const out: Reference[] = [];
  const add = (to: Address | undefined, ...field: (string | number)[]) => {
    if (to !== undefined && !SCOPE_WORDS.has(to) && to !== "platform") {
      out.push({ to, field: formatPath(field) });
    }
  };
  const placedIn = (path: string) => {
    const parent = parentPath(path);
    if (parent !== null) add(`location.${parent}`, "location");
  };
  if (isExisting(object)) return out;
  switch (object.kind) {
    case "location": {
      const parent = parentPath(bodyOf(address));
      if (parent !== null) add(`location.${parent}`, "parent");
      break;
    }
    case "system":
      placedIn(bodyOf(address));
      for (const member of Object.keys(object.spec.members)) add(member, "members", member);
      break;
    case "component":
      placedIn(bodyOf(address));
      add(object.spec.template, "template");
      add(object.spec.node, "node");
      for (const [name, binding] of Object.entries(object.spec.interfaces)) {
        add(binding.node, "interfaces", name, "node");
      }
      break;
    case "node":
      add(object.spec.location, "location");
      break;
    case "tag":
    case "variable":
      add(bindingTarget(address), "target");
      break;
    case "rule":
    case "window":
      add(object.spec.scope, "scope");
      break;
    case "action-rule":
      add(object.spec.scope, "scope");
      (object.spec.matchers.rules ?? []).forEach((rule, i) => add(rule, "matchers", "rules", i));
      object.spec.endpoints.forEach((endpoint, i) => add(endpoint, "endpoints", i));
      break;
    case "endpoint":
      add(object.spec.location, "location");
      break;
    case "grant":
      add(object.spec.principal, "principal");
      add(object.spec.role, "role");
      add(object.spec.scope, "scope");
      break;
    case "silence-defaults":
      break;
  }
  return kind === null ? [] : out;
}

/** The location path an address sits at (`campus.hq` for `system.campus.hq.av`), or null. */
function placementOfAddress(address: Address): string | null {
  switch (kindOf(address)) {
    case "location":
      return bodyOf(address);
    case "system":
    case "component":
      return parentPath(bodyOf(address));
    default:
      return null;
  }
}

/**
 * Where an object sits in the location tree, for grouping plans: a location is at itself; a
 * system or component at its location; a node or endpoint where it is placed; a binding where
 * its target is; a rule, window, action rule or grant where its scope is. Null: the platform.
 */
export function placementOf(address: Address, object: EstateObject | undefined): string | null {
  const kind = kindOf(address);
  if (kind === "tag" || kind === "variable") return placementOfAddress(bindingTarget(address));
  if (kind === "location" || kind === "system" || kind === "component") {
    return placementOfAddress(address);
  }
  if (object === undefined || isExisting(object)) return null;
  switch (object.kind) {
    case "node":
      return placementOfAddress(object.spec.location);
    case "endpoint":
      return object.spec.location ? placementOfAddress(object.spec.location) : null;
    case "rule":
    case "window":
    case "action-rule":
    case "grant":
      return placementOfAddress(object.spec.scope);
    default:
      return null;
  }
}
