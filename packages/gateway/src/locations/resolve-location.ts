import { and } from "drizzle-orm";
import { locationScope, OmniglassError, pathInScope, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition, theOne } from "../kit/refs";
import { location } from "../schema";
import { locationScopeCondition } from "./scope";

export function notFound() {
  return new OmniglassError("NOT_FOUND", "No location matches that reference.");
}

/**
 * Finds a location by id, dotted path or unique name within the actor's read scope. Outside the
 * scope it is exactly as missing as a location that does not exist (same code, same message).
 */
export async function resolveLocation(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
) {
  const query = db
    .select()
    .from(location)
    .where(and(refCondition(ref, location), locationScopeCondition(actor, "location:read")))
    .limit(2);
  const rows = forUpdate ? await query.for("update") : await query;
  return theOne(rows, ref, "location", notFound);
}

/** Whether `capability` reaches the location at `path` for the actor (the rule of `locationScopeCondition`). */
export function inScope(actor: Actor, capability: string, path: string): boolean {
  return pathInScope(locationScope(actor, capability), path);
}
