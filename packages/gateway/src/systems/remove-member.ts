import { and, eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import type { SystemDetail } from "@omniglass/contracts";
import { mutate, type GatewayContext } from "../kit";
import { systemMember } from "../schema";
import { membershipChange, notAMember } from "./membership";

/** Ends a membership (a relation: update scope on both ends). */
export async function removeMember({
  ref,
  component,
  ...ctx
}: GatewayContext & { ref: string; component: string }): Promise<SystemDetail> {
  return mutate(ctx, {
    verb: "remove-member",
    ...membershipChange(ctx, ref, component),
    apply: async (tx, { found, member }) => {
      const [removed] = await tx
        .delete(systemMember)
        .where(
          and(eq(systemMember.systemId, found.row.id), eq(systemMember.componentId, member.row.id)),
        )
        .returning();
      if (!removed) throw notAMember(member, found);
      await recomputeHealth(tx, { componentIds: [member.row.id], systemIds: [found.row.id] });
      return {
        before: { component: member.row.path, primary: removed.isPrimary, roleId: removed.roleId },
        after: undefined,
      };
    },
  });
}
