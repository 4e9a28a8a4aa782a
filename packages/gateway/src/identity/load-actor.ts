import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor, ActorGrant } from "@omniglass/domain";
import type { Database } from "../db";
import { location, principal, role, roleGrant, system } from "../schema";

const systemLocation = alias(location, "system_location");

/** The principal with every grant, its role's permissions and its scope, in one statement. */
export async function loadActor(db: Database, principalId: string): Promise<Actor | null> {
  const rows = await db
    .select({
      id: principal.id,
      kind: principal.kind,
      name: principal.name,
      disabledAt: principal.disabledAt,
      grantId: roleGrant.id,
      roleName: role.name,
      permissions: role.permissions,
      scopeKind: roleGrant.scopeKind,
      locationId: roleGrant.locationId,
      locationPath: location.path,
      operator: roleGrant.scopeOperator,
      systemId: roleGrant.systemId,
      systemPath: system.path,
      systemLocationPath: systemLocation.path,
    })
    .from(principal)
    .leftJoin(roleGrant, eq(roleGrant.principalId, principal.id))
    .leftJoin(role, eq(role.id, roleGrant.roleId))
    .leftJoin(location, eq(location.id, roleGrant.locationId))
    .leftJoin(system, eq(system.id, roleGrant.systemId))
    .leftJoin(systemLocation, eq(systemLocation.id, system.locationId))
    .where(eq(principal.id, principalId));
  const first = rows[0];
  if (!first || first.disabledAt) return null;
  return {
    id: first.id,
    kind: first.kind,
    name: first.name,
    grants: rows.flatMap((r) => {
      if (!r.grantId || !r.roleName || !r.permissions) return [];
      const scope: ActorGrant["scope"] =
        r.scopeKind === "location" && r.locationId && r.locationPath
          ? {
              kind: "location",
              locationId: r.locationId,
              path: r.locationPath,
              operator: r.operator ?? "subtree",
            }
          : r.scopeKind === "system" && r.systemId && r.systemPath && r.systemLocationPath
            ? {
                kind: "system",
                systemId: r.systemId,
                path: r.systemPath,
                locationPath: r.systemLocationPath,
              }
            : { kind: "all" };
      // A grant whose scope row cannot be read must never widen to all.
      if (scope.kind === "all" && r.scopeKind !== "all") return [];
      return [{ grantId: r.grantId, roleName: r.roleName, permissions: r.permissions, scope }];
    }),
  };
}
