import { and, eq, sql } from "drizzle-orm";
import type { System } from "@omniglass/contracts";
import { OmniglassError, type Actor } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { refCondition, theOne } from "../kit/refs";
import { placedScopeCondition } from "../locations/scope";
import { location, system, systemMember, systemType } from "../schema";
import { healthSummaryColumn, toHealthSummary, type RawHealthSummary } from "../health/summary";

export const systemColumns = {
  row: system,
  type: systemType.name,
  locationPath: location.path,
  memberCount: sql<number>`(select count(*)::int from ${systemMember} where ${systemMember.systemId} = ${system.id})`,
  health: healthSummaryColumn(system.id),
};

export type SystemRow = {
  row: typeof system.$inferSelect;
  type: string;
  locationPath: string;
  memberCount: number;
  health: RawHealthSummary | null;
};

export function toSystem(r: SystemRow): System {
  return {
    id: r.row.id,
    name: r.row.name,
    label: r.row.label,
    type: r.type,
    path: r.row.path,
    location: { id: r.row.locationId, path: r.locationPath },
    memberCount: r.memberCount,
    health: toHealthSummary(r.health),
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  };
}

export function systemQuery(db: Database | Transaction) {
  return db
    .select(systemColumns)
    .from(system)
    .innerJoin(systemType, eq(systemType.id, system.typeId))
    .innerJoin(location, eq(location.id, system.locationId));
}

/** The condition under which systems are within `capability`'s scope for the actor. */
export const systemScope = (actor: Actor, capability: string) =>
  placedScopeCondition(actor, capability, { path: system.path, systemId: system.id });

export const systemNotFound = () =>
  new OmniglassError("NOT_FOUND", "No system matches that reference.");

/**
 * A system by id, dotted path or unique name within read scope: outside it, the same 404 as a
 * missing one. `forUpdate` locks the row for the rest of the transaction.
 */
export async function resolveSystem(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<SystemRow> {
  const query = systemQuery(db)
    .where(and(refCondition(ref, system), systemScope(actor, "system:read")))
    .limit(2);
  const rows = forUpdate ? await query.for("update", { of: system }) : await query;
  return theOne(rows, ref, "system", systemNotFound);
}
