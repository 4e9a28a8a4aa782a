import type { AddMemberInput, SystemDetail } from "@omniglass/contracts";
import { recomputeHealth } from "../health/recompute-health";
import { OmniglassError } from "@omniglass/domain";
import { mutate, type GatewayContext } from "../kit";
import { systemMember } from "../schema";
import { assertAccepts, membershipChange, roleOf, setPrimary } from "./membership";

/**
 * Makes a component a member of a system, optionally filling a role: `system:update` on the
 * system and `component:update` on the component, and nothing the system's grants would give
 * the caller on the component that it does not already hold there.
 */
export async function addMember({
  input,
  ...ctx
}: GatewayContext & { input: AddMemberInput }): Promise<SystemDetail> {
  return mutate(ctx, {
    verb: "add-member",
    ...membershipChange(ctx, input.ref, input.component),
    apply: async (tx, { found, member }) => {
      const role = input.role ? await roleOf(tx, found, input.role) : null;
      if (role) assertAccepts(role, member);
      if (input.primary) await setPrimary(tx, found.row.id, member.row.id);
      const [added] = await tx
        .insert(systemMember)
        .values({
          systemId: found.row.id,
          componentId: member.row.id,
          isPrimary: input.primary,
          roleId: role?.id ?? null,
        })
        .onConflictDoNothing()
        .returning();
      if (!added)
        throw new OmniglassError(
          "CONFLICT",
          `${member.row.path} is already a member of ${found.row.path}.`,
          { fieldErrors: [{ field: "component", message: "already a member" }] },
        );
      await recomputeHealth(tx, { componentIds: [member.row.id], systemIds: [found.row.id] });
      return {
        before: undefined,
        after: { component: member.row.path, primary: input.primary, role: role?.name ?? null },
      };
    },
  });
}
