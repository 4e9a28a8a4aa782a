import { asc, eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import { OmniglassError } from "@omniglass/domain";
import { componentScope } from "../components/resolve-component";
import { assertNoDependents, mutate, readableColumn, type GatewayContext } from "../kit";
import { component, roleGrant, system, systemMember } from "../schema";
import { lockSystem, onSystem } from "./lock-system";
import { readSystemDetailBack } from "./system-detail";

/**
 * Deletes a system that no component serves any more (409 naming the members the caller may
 * read); its roles go with it.
 */
export async function deleteSystem({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "system",
    resolve: (tx) => lockSystem(tx, ctx.actor, ref),
    needs: (current) => [onSystem(current, "system:delete", "delete")],
    id: (current) => current.row.id,
    read: (tx, id) => readSystemDetailBack(tx, id),
    apply: async (tx, current) => {
      const members = await tx
        .select({
          name: component.path,
          readable: readableColumn(componentScope(ctx.actor, "component:read")),
        })
        .from(systemMember)
        .innerJoin(component, eq(component.id, systemMember.componentId))
        .where(eq(systemMember.systemId, current.row.id))
        .orderBy(asc(component.path));
      assertNoDependents(current.row.path, "has members", members, "Remove them first.");
      const [granted] = await tx
        .select({ id: roleGrant.id })
        .from(roleGrant)
        .where(eq(roleGrant.systemId, current.row.id))
        .limit(1);
      if (granted)
        throw new OmniglassError(
          "CONFLICT",
          `${current.row.path} is the scope of grants; revoke them first.`,
        );
      await tx.delete(system).where(eq(system.id, current.row.id));
      await recomputeHealth(tx, { locationIds: [current.row.locationId] });
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true as const };
}
