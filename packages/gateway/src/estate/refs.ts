import { eq, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import {
  hasCapability,
  locationScope,
  OmniglassError,
  placedInScope,
  type Actor,
} from "@omniglass/domain";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference is an id, a dotted path, or a name that must be unique (DESIGN.md §4). */
export function refCondition(
  ref: string,
  columns: { id: AnyPgColumn; path: AnyPgColumn; name: AnyPgColumn },
): SQL {
  if (UUID.test(ref)) return eq(columns.id, ref);
  return ref.includes(".") ? eq(columns.path, ref) : eq(columns.name, ref);
}

export function ambiguous(ref: string, what: string) {
  return new OmniglassError("INVALID", `${ref} names more than one ${what}; use its path or id.`, {
    fieldErrors: [{ field: "ref", message: "ambiguous name" }],
  });
}

export function forbidden(action: string, path: string) {
  return new OmniglassError("FORBIDDEN", `You may read ${path} but not ${action} there.`);
}

/** 403 unless `capability` reaches something placed at `locationPath` serving `systemIds`. */
export function assertPlacedInScope(
  actor: Actor,
  capability: string,
  target: { locationPath: string; systemIds?: readonly string[]; path: string },
  action: string,
) {
  if (!placedInScope(locationScope(actor, capability), target))
    throw forbidden(action, target.path);
}

/** The first names of a dependent list for a 409 message: `a, b, c, …`. */
export function listSome(names: string[], limit = 5): string {
  return `${names.slice(0, limit).join(", ")}${names.length > limit ? ", …" : ""}`;
}

/**
 * Platform-wide things (principals, registries: templates, signals, system types) are changed only
 * with the capability on scope all: a grant scoped to a location does not reach them (403).
 */
export function requireEverywhere(actor: Actor, capability: string) {
  const everywhere = actor.grants.some(
    (g) => g.scope.kind === "all" && hasCapability({ ...actor, grants: [g] }, capability),
  );
  if (!everywhere)
    throw new OmniglassError("FORBIDDEN", `This needs the ${capability} permission on scope all.`);
}
