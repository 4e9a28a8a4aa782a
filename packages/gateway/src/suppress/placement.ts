import { and, eq, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { locationScope, OmniglassError, type Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import type { AuditPlacement } from "../audit";
import type { Check } from "../kit";
import { resolveComponent, systemIdsOf } from "../components/resolve-component";
import { resolveLocation } from "../locations/resolve-location";
import { locationScopeCondition, placedScopeCondition } from "../locations/scope";
import { resolveSystem } from "../systems/resolve-system";

/*
 * Where a maintenance window or a silence is placed: at its scope (a window) or its owner matcher
 * (a silence) — a location subtree, a system, one component — or, for a template scope or a
 * silence without an owner, at the platform level (scope all). Reading or writing it needs the
 * capability there, decided by the one scope helper on the target's current path.
 */

export type PlacementKind = "location" | "system" | "component" | "platform";

/** A resolved placement: what the row references and what a write must be allowed on. */
export interface Placement {
  kind: PlacementKind;
  id: string | null;
  path: string | null;
  check: (capability: string, action: string) => Check;
}

/** The joined columns a placement is judged on (aliases of location, system, component). */
export interface PlacementColumns {
  kind: AnyPgColumn;
  location: { path: AnyPgColumn };
  system: { path: AnyPgColumn; id: AnyPgColumn };
  component: { path: AnyPgColumn; id: AnyPgColumn };
  /** The kind column's values for each placement (a window calls a component `owner`). */
  values: { location: string; system: string; component: string; platform: string | null };
}

/**
 * The SQL condition under which a row is within `capability`'s scope: its location, system or
 * component by the scope helpers, the platform level only with the capability on scope all.
 */
export function placementCondition(
  actor: Actor,
  capability: string,
  c: PlacementColumns,
): SQL | undefined {
  if (locationScope(actor, capability).kind === "all") return undefined;
  const is = (value: string | null) =>
    value === null ? sql`${c.kind} is null` : eq(c.kind, value);
  const orTrue = (condition: SQL | undefined) => condition ?? sql`true`;
  return or(
    and(is(c.values.location), orTrue(locationScopeCondition(actor, capability, c.location.path))),
    and(
      is(c.values.system),
      orTrue(
        placedScopeCondition(actor, capability, { path: c.system.path, systemId: c.system.id }),
      ),
    ),
    and(
      is(c.values.component),
      orTrue(
        placedScopeCondition(actor, capability, {
          path: c.component.path,
          componentId: c.component.id,
        }),
      ),
    ),
  );
}

/**
 * Resolves a reference to a location, system or component within read scope, in that order for
 * `any` (a silence's owner), or as the named kind. A miss is a 404 naming `field`.
 */
export async function resolvePlacement(
  tx: Transaction,
  actor: Actor,
  kind: "location" | "system" | "component" | "any",
  ref: string,
  field: string,
): Promise<Placement> {
  const miss = (e: unknown) => {
    if (e instanceof OmniglassError && e.code === "NOT_FOUND") return null;
    throw e;
  };
  if (kind === "location" || kind === "any") {
    const place = await resolveLocation(tx, actor, ref).catch(miss);
    if (place)
      return {
        kind: "location",
        id: place.id,
        path: place.path,
        check: (capability, action) => ({ capability, location: place.path, action }),
      };
  }
  if (kind === "system" || kind === "any") {
    const found = await resolveSystem(tx, actor, ref).catch(miss);
    if (found)
      return {
        kind: "system",
        id: found.row.id,
        path: found.row.path,
        check: (capability, action) => ({
          capability,
          placed: {
            locationPath: found.locationPath,
            systemId: found.row.id,
            path: found.row.path,
          },
          action,
        }),
      };
  }
  if (kind === "component" || kind === "any") {
    const found = await resolveComponent(tx, actor, ref).catch(miss);
    if (found) {
      const memberOf = await systemIdsOf(tx, found.row.id);
      return {
        kind: "component",
        id: found.row.id,
        path: found.row.path,
        check: (capability, action) => ({
          capability,
          placed: { locationPath: found.locationPath, memberOf, path: found.row.path },
          action,
        }),
      };
    }
  }
  // Missing and outside read scope are the same 404, naming the field and disclosing nothing.
  const what = kind === "any" ? "location, system or component" : kind;
  throw new OmniglassError("NOT_FOUND", `No ${what} matches that reference.`, {
    fieldErrors: [{ field, message: `no ${what} matches that reference` }],
  });
}

/** The platform level: a template scope, a silence without an owner (scope all). */
export const PLATFORM: Placement = {
  kind: "platform",
  id: null,
  path: null,
  check: (capability) => ({ capability, everywhere: true }),
};

/** The audit image's placement of a window or silence (what audit reads are scoped by). */
export function auditPlacement(p: Placement): AuditPlacement {
  if (p.kind === "platform" || p.path === null) return { kind: "platform" };
  if (p.kind === "location") return { kind: "location", path: p.path };
  return { kind: p.kind, path: p.path, id: p.id };
}

/**
 * The placement of a stored reference (its current path from the row's joins): a system's and a
 * component's location is their path less its last label; a component's systems are read.
 */
export async function placementOf(
  tx: Transaction,
  kind: "location" | "system" | "component" | null,
  id: string | null,
  path: string | null,
): Promise<Placement> {
  if (kind === null || id === null || path === null) return PLATFORM;
  const locationPath = path.slice(0, path.lastIndexOf("."));
  if (kind === "location")
    return {
      kind,
      id,
      path,
      check: (capability, action) => ({ capability, location: path, action }),
    };
  if (kind === "system")
    return {
      kind,
      id,
      path,
      check: (capability, action) => ({
        capability,
        placed: { locationPath, systemId: id, path },
        action,
      }),
    };
  const memberOf = await systemIdsOf(tx, id);
  return {
    kind,
    id,
    path,
    check: (capability, action) => ({
      capability,
      placed: { locationPath, memberOf, path },
      action,
    }),
  };
}
