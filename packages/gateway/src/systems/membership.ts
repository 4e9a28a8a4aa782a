import { and, eq, ne } from "drizzle-orm";
import { OmniglassError, type Actor } from "@omniglass/domain";
import { lockComponent, type LockedComponent } from "../components/lock-component";
import type { ComponentRow } from "../components/resolve-component";
import type { Transaction } from "../db";
import { relationChecks, type Check, type GatewayContext } from "../kit";
import { systemMember, systemRole } from "../schema";
import { lockSystem } from "./lock-system";
import type { SystemRow } from "./resolve-system";
import { readSystemDetailBack } from "./system-detail";

/**
 * A membership change is a relation between a system and a component: it resolves both (each
 * within read scope) and needs update scope on both ends without widening anyone's reach
 * (`relationChecks`, docs/decisions/0008).
 */
export async function lockMembership(tx: Transaction, actor: Actor, ref: string, member: string) {
  const found = await lockSystem(tx, actor, ref);
  return { found, member: await lockComponent(tx, actor, member) };
}

export function membershipChecks(
  actor: Actor,
  { found, member }: { found: SystemRow; member: LockedComponent },
): Check[] {
  return relationChecks(
    actor,
    { id: found.row.id, path: found.row.path, locationPath: found.locationPath },
    { path: member.row.path, locationPath: member.locationPath, memberOf: member.memberOf },
    "change the members or roles of",
  );
}

/** The common part of every membership change's `mutate` spec: both ends resolved and checked. */
export function membershipChange(ctx: GatewayContext, ref: string, component: string) {
  return {
    resource: "system",
    resolve: (tx: Transaction) => lockMembership(tx, ctx.actor, ref, component),
    needs: (both: { found: SystemRow; member: LockedComponent }) =>
      membershipChecks(ctx.actor, both),
    id: ({ found }: { found: SystemRow }) => found.row.id,
    read: (tx: Transaction, id: string) => readSystemDetailBack(tx, id),
    // The audit images are the membership ({ component, primary, role }): the row is the system's.
    placement: ({ found }: { found: SystemRow }) => ({
      kind: "system" as const,
      path: found.row.path,
      id: found.row.id,
    }),
  };
}

export const notAMember = (member: ComponentRow, found: SystemRow) =>
  new OmniglassError("NOT_FOUND", `${member.row.path} is not a member of ${found.row.path}.`);

export async function roleOf(tx: Transaction, found: SystemRow, name: string, field = "role") {
  const [role] = await tx
    .select()
    .from(systemRole)
    .where(and(eq(systemRole.systemId, found.row.id), eq(systemRole.name, name)));
  if (!role)
    throw new OmniglassError("INVALID", `${found.row.path} has no role ${name}.`, {
      fieldErrors: [{ field, message: "no such role in this system" }],
    });
  return role;
}

export function assertAccepts(role: typeof systemRole.$inferSelect, member: ComponentRow) {
  if (!role.accepts.includes(member.kind))
    throw new OmniglassError(
      "INVALID",
      `Role ${role.name} accepts ${role.accepts.join(", ")}; ${member.row.path} is a ${member.kind}.`,
      { fieldErrors: [{ field: "role", message: `does not accept ${member.kind}` }] },
    );
}

export async function setPrimary(tx: Transaction, systemId: string, componentId: string) {
  // A component has one primary system: making this one primary demotes the previous one.
  await tx
    .update(systemMember)
    .set({ isPrimary: false })
    .where(
      and(
        eq(systemMember.componentId, componentId),
        ne(systemMember.systemId, systemId),
        eq(systemMember.isPrimary, true),
      ),
    );
}
