import { and, eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { SystemDetail, UpdateMemberInput } from "@omniglass/contracts";
import { mutate, UNCHANGED, type GatewayContext } from "../kit";
import { systemMember } from "../schema";
import { assertAccepts, membershipChange, notAMember, roleOf, setPrimary } from "./membership";

/** Changes a membership: primary or not, the role the member fills (a relation: both ends). */
export async function updateMember({
  input,
  ...ctx
}: GatewayContext & { input: UpdateMemberInput }): Promise<SystemDetail> {
  return mutate(ctx, {
    verb: "update-member",
    ...membershipChange(ctx, input.ref, input.component),
    apply: async (tx, { found, member }) => {
      const which = and(
        eq(systemMember.systemId, found.row.id),
        eq(systemMember.componentId, member.row.id),
      );
      const [current] = await tx.select().from(systemMember).where(which);
      if (!current) throw notAMember(member, found);
      const role =
        input.role === undefined
          ? undefined
          : input.role === null
            ? null
            : await roleOf(tx, found, input.role);
      if (role) assertAccepts(role, member);
      const changes = {
        ...(input.primary !== undefined && input.primary !== current.isPrimary
          ? { isPrimary: input.primary }
          : {}),
        ...(role !== undefined && (role?.id ?? null) !== current.roleId
          ? { roleId: role?.id ?? null }
          : {}),
      };
      if (Object.keys(changes).length === 0) return UNCHANGED;
      if (changes.isPrimary) await setPrimary(tx, found.row.id, member.row.id);
      await tx.update(systemMember).set(changes).where(which);
      await recomputeHealth(tx, { componentIds: [member.row.id], systemIds: [found.row.id] });
      return {
        before: { component: member.row.path, primary: current.isPrimary, roleId: current.roleId },
        after: { component: member.row.path, ...changes },
      };
    },
  });
}
