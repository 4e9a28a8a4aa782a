import { eq, sql } from "drizzle-orm";
import type { CreateGrantInput, Grant } from "@omniglass/contracts";
import {
  canDelegate,
  locationScope,
  MEMBER_CAPABILITIES,
  OmniglassError,
  permissionMatches,
  placedInScope,
  type Actor,
  type ActorGrant,
} from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { writeAudit } from "../audit";
import type { Transaction } from "../db";
import { resolveLocation } from "../locations/resolve-location";
import { component, location, role, roleGrant, systemMember } from "../schema";
import { resolveSystem } from "../systems/resolve-system";
import { lastOwner, otherActiveOwners } from "./owners";
import { grantsOf, principalRow } from "./principal-detail";
import type { GatewayContext } from "../kit";

/** Gives a role on a scope. The granter needs `grant:create` there and must hold everything it gives. */
export async function createGrant({
  db,
  actor,
  meta,
  input,
}: GatewayContext & { input: CreateGrantInput }): Promise<Grant> {
  return db.transaction(async (tx) => {
    const grantee = await principalRow(tx, input.id);
    const [roleRow] = await tx.select().from(role).where(eq(role.name, input.role));
    if (!roleRow)
      throw new OmniglassError("INVALID", `No role ${input.role}.`, {
        fieldErrors: [{ field: "role", message: "unknown role" }],
      });
    let scope: ActorGrant["scope"];
    let locationId: string | null = null;
    let systemId: string | null = null;
    if (input.scope.kind === "system") {
      const target = await resolveSystem(tx, actor, input.scope.system);
      systemId = target.row.id;
      scope = {
        kind: "system",
        systemId: target.row.id,
        path: target.row.path,
        locationPath: target.locationPath,
      };
    } else if (input.scope.kind === "location") {
      const place = await resolveLocation(tx, actor, input.scope.location);
      locationId = place.id;
      scope = {
        kind: "location",
        locationId: place.id,
        path: place.path,
        operator: input.scope.operator,
      };
    } else {
      scope = { kind: "all" };
    }
    if (!canDelegate(actor, ["grant:create"], scope)) {
      throw new OmniglassError("FORBIDDEN", "You may not grant roles on that scope.");
    }
    if (!canDelegate(actor, roleRow.permissions, scope)) {
      throw new OmniglassError(
        "FORBIDDEN",
        `You cannot grant ${roleRow.name} there: it carries permissions you do not hold on that scope.`,
      );
    }
    if (scope.kind === "system")
      await assertMembersWithinReach(tx, actor, roleRow.permissions, scope);
    const [created] = await tx
      .insert(roleGrant)
      .values({
        id: uuidv7(),
        principalId: grantee.id,
        roleId: roleRow.id,
        scopeKind: scope.kind,
        locationId,
        systemId,
        scopeOperator: scope.kind === "location" ? scope.operator : "subtree",
        createdBy: actor.id,
      })
      .returning();
    const grant: Grant = {
      id: created!.id,
      role: roleRow.name,
      scope,
      createdAt: created!.createdAt.toISOString(),
    };
    await writeAudit(tx, meta, {
      verb: "create",
      resource: "grant",
      resourceId: grant.id,
      after: { ...grant, principalId: grantee.id },
    });
    return grant;
  });
}

/** Removes a grant, unless it is the last active owner's. The remover must be able to give it. */
export async function deleteGrant({
  db,
  actor,
  meta,
  principalId,
  grantId,
}: GatewayContext & { principalId: string; grantId: string }): Promise<{
  id: string;
  deleted: true;
}> {
  return db.transaction(async (tx) => {
    const grants = await grantsOf(tx, [principalId]);
    const grant = grants.get(principalId)?.find((g) => g.id === grantId);
    if (!grant) throw new OmniglassError("NOT_FOUND", "No such grant for this principal.");
    const [roleRow] = await tx.select().from(role).where(eq(role.name, grant.role));
    if (
      !canDelegate(actor, ["grant:delete"], grant.scope) ||
      !canDelegate(actor, roleRow!.permissions, grant.scope)
    ) {
      throw new OmniglassError("FORBIDDEN", "You may not remove that grant.");
    }
    if (
      grant.role === "owner" &&
      grant.scope.kind === "all" &&
      (await otherActiveOwners(tx, { grantId })) === 0
    )
      throw lastOwner();
    await tx.delete(roleGrant).where(eq(roleGrant.id, grantId));
    await writeAudit(tx, meta, {
      verb: "delete",
      resource: "grant",
      resourceId: grantId,
      before: { ...grant, principalId },
    });
    return { id: grantId, deleted: true as const };
  });
}

/**
 * A system grant carries some capabilities to the system's member components
 * (docs/decisions/0008), which may be placed outside the granter's reach: each carried capability
 * the role gives, the granter must already hold on every member, or the grant would reach further
 * than the granter does ("nobody can grant what they do not hold").
 */
async function assertMembersWithinReach(
  tx: Transaction,
  actor: Actor,
  permissions: readonly string[],
  scope: Extract<ActorGrant["scope"], { kind: "system" }>,
) {
  const carried = MEMBER_CAPABILITIES.filter((c) =>
    permissions.some((p) => permissionMatches(p, c)),
  );
  if (carried.length === 0) return;
  const members = await tx
    .select({
      path: component.path,
      locationPath: location.path,
      memberOf: sql<
        string[]
      >`array(select ${systemMember.systemId}::text from ${systemMember} where ${systemMember.componentId} = ${component.id})`,
    })
    .from(systemMember)
    .innerJoin(component, eq(component.id, systemMember.componentId))
    .innerJoin(location, eq(location.id, component.locationId))
    .where(eq(systemMember.systemId, scope.systemId));
  const beyond = members.filter((m) =>
    carried.some((c) => !placedInScope(locationScope(actor, c), m)),
  );
  if (beyond.length > 0)
    throw new OmniglassError(
      "FORBIDDEN",
      `You cannot grant that on ${scope.path}: it would reach members you do not hold it on (${beyond.length}).`,
    );
}
