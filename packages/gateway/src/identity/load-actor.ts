import { eq } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import type { Database } from "../db";
import { location, principal, role, roleGrant } from "../schema";

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
    })
    .from(principal)
    .leftJoin(roleGrant, eq(roleGrant.principalId, principal.id))
    .leftJoin(role, eq(role.id, roleGrant.roleId))
    .leftJoin(location, eq(location.id, roleGrant.locationId))
    .where(eq(principal.id, principalId));
  const first = rows[0];
  if (!first || first.disabledAt) return null;
  return {
    id: first.id,
    kind: first.kind,
    name: first.name,
    grants: rows.flatMap((r) => {
      if (!r.grantId || !r.roleName || !r.permissions) return [];
      const scope =
        r.scopeKind === "location" && r.locationId && r.locationPath
          ? {
              kind: "location" as const,
              locationId: r.locationId,
              path: r.locationPath,
              operator: r.operator ?? "subtree",
            }
          : { kind: "all" as const };
      return [{ grantId: r.grantId, roleName: r.roleName, permissions: r.permissions, scope }];
    }),
  };
}
