import { eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { CreateRoleInput, SystemDetail, UpdateRoleInput } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import { v7 as uuidv7 } from "uuid";
import { assertFreshVersion, bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { systemRole } from "../schema";
import { lockSystem, onSystem } from "./lock-system";
import { roleOf } from "./membership";
import type { SystemRow } from "./resolve-system";
import { readSystemDetailBack } from "./system-detail";

/**
 * Roles are part of a system: defining them needs `system:update` on it (filling one with a
 * component is a membership change, see `updateMember`). Every change answers the system's detail
 * as it is afterwards and writes one audit row.
 */
const roleChange = (ctx: GatewayContext, ref: string) => ({
  resource: "system-role",
  resolve: (tx: Parameters<typeof lockSystem>[0]) => lockSystem(tx, ctx.actor, ref),
  needs: (found: SystemRow) => [onSystem(found, "system:update", "change the roles of")],
  read: (tx: Parameters<typeof lockSystem>[0], _id: string, found: SystemRow) =>
    readSystemDetailBack(tx, found.row.id),
});

export async function createRole({
  input,
  ...ctx
}: GatewayContext & { input: CreateRoleInput }): Promise<SystemDetail> {
  return mutate(ctx, {
    ...roleChange(ctx, input.ref),
    verb: "create",
    apply: async (tx, found) => {
      const [created] = await tx
        .insert(systemRole)
        .values({
          id: uuidv7(),
          systemId: found.row.id,
          name: input.name,
          label: input.label ?? null,
          accepts: input.accepts,
          quorum: input.quorum,
          impact: input.impact,
        })
        .onConflictDoNothing()
        .returning();
      if (!created)
        throw new OmniglassError(
          "CONFLICT",
          `${found.row.path} already has a role ${input.name}.`,
          { fieldErrors: [{ field: "name", message: "already taken in this system" }] },
        );
      await recomputeHealth(tx, { systemIds: [found.row.id] });
      return { id: created.id, after: { system: found.row.path, ...created } };
    },
  });
}

export async function updateRole({
  input,
  ...ctx
}: GatewayContext & { input: UpdateRoleInput }): Promise<SystemDetail> {
  return mutate(ctx, {
    ...roleChange(ctx, input.ref),
    verb: "update",
    id: (found) => found.row.id,
    apply: async (tx, found) => {
      const current = await roleOf(tx, found, input.role, "role");
      assertFreshVersion(`${found.row.path} role ${current.name}`, input.version, current.version);
      const changes = {
        ...(input.label !== undefined && input.label !== current.label
          ? { label: input.label }
          : {}),
        ...(input.accepts !== undefined && input.accepts.join() !== current.accepts.join()
          ? { accepts: input.accepts }
          : {}),
        ...(input.quorum !== undefined && input.quorum !== current.quorum
          ? { quorum: input.quorum }
          : {}),
        ...(input.impact !== undefined && input.impact !== current.impact
          ? { impact: input.impact }
          : {}),
      };
      if (Object.keys(changes).length === 0) return UNCHANGED;
      const [after] = await tx
        .update(systemRole)
        .set({ ...changes, ...bumpVersion(systemRole) })
        .where(eq(systemRole.id, current.id))
        .returning();
      await recomputeHealth(tx, { systemIds: [found.row.id] });
      return { id: current.id, before: current, after };
    },
  });
}

/** Deletes a role; the members filling it stay members, filling no role. */
export async function deleteRole({
  ref,
  role,
  ...ctx
}: GatewayContext & { ref: string; role: string }): Promise<SystemDetail> {
  return mutate(ctx, {
    ...roleChange(ctx, ref),
    verb: "delete",
    id: (found) => found.row.id,
    apply: async (tx, found) => {
      const current = await roleOf(tx, found, role, "role");
      await tx.delete(systemRole).where(eq(systemRole.id, current.id));
      await recomputeHealth(tx, { systemIds: [found.row.id] });
      return { id: current.id, before: { system: found.row.path, ...current }, after: undefined };
    },
  });
}
