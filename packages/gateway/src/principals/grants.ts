import { eq, sql } from "drizzle-orm";
import type { CreateGrantInput, Grant } from "@omniglass/contracts";
import {
  MEMBER_CAPABILITIES,
  OmniglassError,
  permissionMatches,
  type Actor,
  type ActorGrant,
  type PlacedTarget,
} from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import type { Transaction } from "../db";
import { mutate, type Check, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { component, location, role, roleGrant, systemMember } from "../schema";
import { resolveSystem } from "../systems/resolve-system";
import { lastOwner, otherActiveOwners } from "./owners";
import { grantsOf, principalRow } from "./principal-detail";

async function roleByName(tx: Transaction, name: string) {
  const [roleRow] = await tx.select().from(role).where(eq(role.name, name));
  if (!roleRow)
    throw new OmniglassError("INVALID", `No role ${name}.`, {
      fieldErrors: [{ field: "role", message: "unknown role" }],
    });
  return roleRow;
}

async function scopeOf(tx: Transaction, actor: Actor, input: CreateGrantInput["scope"]) {
  if (input.kind === "system") {
    const target = await resolveSystem(tx, actor, input.system);
    const scope: ActorGrant["scope"] = {
      kind: "system",
      systemId: target.row.id,
      path: target.row.path,
      locationPath: target.locationPath,
    };
    return { scope, locationId: null, systemId: target.row.id };
  }
  if (input.kind === "location") {
    const place = await resolveLocation(tx, actor, input.location);
    const scope: ActorGrant["scope"] = {
      kind: "location",
      locationId: place.id,
      path: place.path,
      operator: input.operator,
    };
    return { scope, locationId: place.id, systemId: null };
  }
  return { scope: { kind: "all" } as ActorGrant["scope"], locationId: null, systemId: null };
}

/** The members of a system, placed (for what a system grant would carry to them). */
async function membersOf(tx: Transaction, systemId: string): Promise<PlacedTarget[]> {
  return tx
    .select({
      locationPath: location.path,
      memberOf: sql<
        string[]
      >`array(select ${systemMember.systemId}::text from ${systemMember} where ${systemMember.componentId} = ${component.id})`,
    })
    .from(systemMember)
    .innerJoin(component, eq(component.id, systemMember.componentId))
    .innerJoin(location, eq(location.id, component.locationId))
    .where(eq(systemMember.systemId, systemId));
}

/**
 * Who may give a role on a scope: `grant:create` there, every permission of the role held on a
 * scope containing it, and — for a system scope — every member capability the role would carry to
 * the system's members (docs/decisions/0008) already held on each of them.
 */
export function delegationChecks(
  action: "grant" | "remove",
  roleRow: { name: string; permissions: readonly string[] },
  scope: ActorGrant["scope"],
  members: readonly PlacedTarget[],
): Check[] {
  const checks: Check[] =
    action === "grant"
      ? [
          {
            delegate: scope,
            permissions: ["grant:create"],
            refusal: "You may not grant roles on that scope.",
          },
          {
            delegate: scope,
            permissions: roleRow.permissions,
            refusal: `You cannot grant ${roleRow.name} there: it carries permissions you do not hold on that scope.`,
          },
        ]
      : [
          {
            delegate: scope,
            permissions: ["grant:delete", ...roleRow.permissions],
            refusal: "You may not remove that grant.",
          },
        ];
  if (action === "grant" && scope.kind === "system")
    for (const capability of MEMBER_CAPABILITIES.filter((c) =>
      roleRow.permissions.some((p) => permissionMatches(p, c)),
    ))
      checks.push({
        capability,
        onEvery: members,
        refusal: (beyond) =>
          `You cannot grant ${roleRow.name} on ${scope.path}: it would reach ${beyond} member(s) you do not hold ${capability} on.`,
      });
  return checks;
}

/** Gives a role on a scope. The granter needs `grant:create` there and must hold everything it gives. */
export async function createGrant({
  input,
  ...ctx
}: GatewayContext & { input: CreateGrantInput }): Promise<Grant> {
  return mutate(ctx, {
    verb: "create",
    resource: "grant",
    resolve: async (tx) => {
      const grantee = await principalRow(tx, input.id);
      const roleRow = await roleByName(tx, input.role);
      const placed = await scopeOf(tx, ctx.actor, input.scope);
      const members = placed.systemId ? await membersOf(tx, placed.systemId) : [];
      return { grantee, roleRow, ...placed, members };
    },
    needs: ({ roleRow, scope, members }) => delegationChecks("grant", roleRow, scope, members),
    read: async (tx, id, { roleRow, scope }) => {
      const [row] = await tx.select().from(roleGrant).where(eq(roleGrant.id, id));
      return { id, role: roleRow.name, scope, createdAt: row!.createdAt.toISOString() } as Grant;
    },
    apply: async (tx, { grantee, roleRow, scope, locationId, systemId }) => {
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
          createdBy: ctx.actor.id,
        })
        .returning();
      const grant: Grant = {
        id: created!.id,
        role: roleRow.name,
        scope,
        createdAt: created!.createdAt.toISOString(),
      };
      return { id: grant.id, after: { ...grant, principalId: grantee.id } };
    },
  });
}

/** Removes a grant, unless it is the last active owner's. The remover must be able to give it. */
export async function deleteGrant({
  principalId,
  grantId,
  ...ctx
}: GatewayContext & { principalId: string; grantId: string }): Promise<{
  id: string;
  deleted: true;
}> {
  await mutate(ctx, {
    verb: "delete",
    resource: "grant",
    resolve: async (tx) => {
      const grants = await grantsOf(tx, [principalId]);
      const grant = grants.get(principalId)?.find((g) => g.id === grantId);
      if (!grant) throw new OmniglassError("NOT_FOUND", "No such grant for this principal.");
      return { grant, roleRow: await roleByName(tx, grant.role) };
    },
    needs: ({ grant, roleRow }) => delegationChecks("remove", roleRow, grant.scope, []),
    id: ({ grant }) => grant.id,
    read: async (_tx, _id, { grant }) => ({ ...grant, principalId }),
    apply: async (tx, { grant }) => {
      if (
        grant.role === "owner" &&
        grant.scope.kind === "all" &&
        (await otherActiveOwners(tx, { grantId })) === 0
      )
        throw lastOwner();
      await tx.delete(roleGrant).where(eq(roleGrant.id, grantId));
      return { deleted: true };
    },
  });
  return { id: grantId, deleted: true as const };
}
