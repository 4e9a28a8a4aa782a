import { and, eq } from "drizzle-orm";
import { locationScope, OmniglassError, pathInScope, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { location } from "../schema";
import { locationScopeCondition } from "./scope";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  const byRef = UUID.test(ref)
    ? eq(location.id, ref)
    : ref.includes(".")
      ? eq(location.path, ref)
      : eq(location.name, ref);
  const query = db
    .select()
    .from(location)
    .where(and(byRef, locationScopeCondition(actor, "location:read")))
    .limit(2);
  const rows = forUpdate ? await query.for("update") : await query;
  if (rows.length === 0) throw notFound();
  if (rows.length > 1) {
    throw new OmniglassError(
      "INVALID",
      `${ref} names more than one location; use its dotted path or id.`,
      {
        fieldErrors: [{ field: "ref", message: "ambiguous name" }],
      },
    );
  }
  return rows[0]!;
}

/** Whether `capability` reaches the location at `path` for the actor (the rule of `locationScopeCondition`). */
export function inScope(actor: Actor, capability: string, path: string): boolean {
  return pathInScope(locationScope(actor, capability), path);
}
