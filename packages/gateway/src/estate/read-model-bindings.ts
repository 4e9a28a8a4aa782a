import { sql } from "drizzle-orm";
import { isSecretKey, type Json } from "@omniglass/estate";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { component, location, system } from "../schema";
import { cond, rows, type ReadContext } from "./read-model-kit";

/**
 * Tags and variables (platform ones only without a subtree), except what the files could not
 * declare: a secret variable no apply wrote (the state holds its sealed value, not a reference
 * to write back) and a binding the loader takes for an inline secret. A secret variable an
 * apply wrote is read as the reference that apply was given (from the managed set); its value
 * is never read.
 */
export async function readBindings({
  db,
  actor,
  objects,
  ids,
  state,
  locationIn,
  placedIn,
  sub,
  managedSecret,
}: ReadContext): Promise<void> {
  for (const kind of ["tag", "variable"] as const) {
    const capability = `${kind}:read`;
    const bindings = await rows<{
      id: string;
      key: string;
      level: "platform" | "location" | "system" | "component";
      value: Json;
      secret: boolean;
      location_path: string | null;
      system_path: string | null;
      component_path: string | null;
    }>(
      db,
      sql`select b.id, b.key, b.level, b.value, b.secret, ${location.path} as location_path,
            ${system.path} as system_path, ${component.path} as component_path
          from estate_binding b
          left join ${location} on ${location.id} = b.location_id
          left join ${system} on ${system.id} = b.system_id
          left join ${component} on ${component.id} = b.component_id
          where b.kind = ${kind} and (
            (b.level = 'platform' and ${sub ? sql`false` : sql`true`})
            or (b.level = 'location' and ${cond(locationScopeCondition(actor, capability, location.path))}
              and ${locationIn(sql`${location.path}`)})
            or (b.level = 'system' and ${cond(placedScopeCondition(actor, capability, { path: system.path, systemId: system.id }))}
              and ${placedIn(sql`${system.path}`)})
            or (b.level = 'component' and ${cond(placedScopeCondition(actor, capability, { path: component.path, componentId: component.id }))}
              and ${placedIn(sql`${component.path}`)}))`,
    );
    for (const b of bindings) {
      if (!b.secret && holdsInlineSecret(b.key, b.value)) continue;
      const path =
        b.level === "location"
          ? b.location_path
          : b.level === "system"
            ? b.system_path
            : b.component_path;
      const target = b.level === "platform" ? "platform" : `${b.level}.${path}`;
      const address = `${kind}.${target}.${b.key}`;
      const secret = b.secret ? managedSecret(address) : undefined;
      if (b.secret && secret === undefined) continue;
      ids.set(address, b.id);
      objects[address] =
        kind === "tag"
          ? { kind, spec: { value: String(b.value) }, state: state(address) }
          : secret
            ? { kind, spec: { secret }, state: state(address) }
            : { kind, spec: { value: b.value }, state: state(address) };
    }
  }
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
