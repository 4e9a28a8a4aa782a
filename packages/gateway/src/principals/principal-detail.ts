import { asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Grant, Principal, PrincipalDetail, Token } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { apiToken, location, principal, role, roleGrant, system } from "../schema";

const systemLocation = alias(location, "system_location");

export const toPrincipal = (row: typeof principal.$inferSelect): Principal => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  label: row.label,
  email: row.email,
  hasPassword: row.passwordHash !== null,
  disabled: row.disabledAt !== null,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  version: row.version,
});

export const toToken = (row: typeof apiToken.$inferSelect): Token => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt?.toISOString() ?? null,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

export const notFound = () => new OmniglassError("NOT_FOUND", "No principal with that id.");

export async function principalRow(
  db: Database | Transaction,
  id: string,
  { forUpdate = false } = {},
) {
  const query = db.select().from(principal).where(eq(principal.id, id));
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row) throw notFound();
  return row;
}

export async function grantsOf(
  db: Database | Transaction,
  principalIds: string[],
): Promise<Map<string, Grant[]>> {
  const rows =
    principalIds.length === 0
      ? []
      : await db
          .select({
            grant: roleGrant,
            roleName: role.name,
            path: location.path,
            systemPath: system.path,
            systemLocationPath: systemLocation.path,
          })
          .from(roleGrant)
          .innerJoin(role, eq(role.id, roleGrant.roleId))
          .leftJoin(location, eq(location.id, roleGrant.locationId))
          .leftJoin(system, eq(system.id, roleGrant.systemId))
          .leftJoin(systemLocation, eq(systemLocation.id, system.locationId))
          .where(inArray(roleGrant.principalId, principalIds))
          .orderBy(asc(roleGrant.createdAt));
  const byPrincipal = new Map<string, Grant[]>();
  for (const r of rows) {
    const scope: Grant["scope"] =
      r.grant.scopeKind === "location" && r.grant.locationId && r.path
        ? {
            kind: "location",
            locationId: r.grant.locationId,
            path: r.path,
            operator: r.grant.scopeOperator,
          }
        : r.grant.scopeKind === "system" && r.grant.systemId && r.systemPath && r.systemLocationPath
          ? {
              kind: "system",
              systemId: r.grant.systemId,
              path: r.systemPath,
              locationPath: r.systemLocationPath,
            }
          : { kind: "all" };
    const list = byPrincipal.get(r.grant.principalId) ?? [];
    list.push({
      id: r.grant.id,
      role: r.roleName,
      scope,
      createdAt: r.grant.createdAt.toISOString(),
    });
    byPrincipal.set(r.grant.principalId, list);
  }
  return byPrincipal;
}

export async function detail(db: Database | Transaction, id: string): Promise<PrincipalDetail> {
  const row = await principalRow(db, id);
  // One after the other: this runs on transaction clients too, which take one query at a time.
  const grants = await grantsOf(db, [id]);
  const tokens = await db
    .select()
    .from(apiToken)
    .where(eq(apiToken.principalId, id))
    .orderBy(asc(apiToken.createdAt));
  return { ...toPrincipal(row), grants: grants.get(id) ?? [], tokens: tokens.map(toToken) };
}
