import { asc, eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import { assertNoDependents, mutate, readableColumn, type GatewayContext } from "../kit";
import { component, system, systemMember } from "../schema";
import { systemScope } from "../systems/resolve-system";
import { readComponentBack } from "./component-detail";
import { lockComponent, onComponent } from "./lock-component";

/**
 * Deletes a component that serves no system any more (`component:delete`, a placement verb: its
 * location's scope). The 409 names only the systems the caller may read.
 */
export async function deleteComponent({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "component",
    resolve: (tx) => lockComponent(tx, ctx.actor, ref),
    needs: (current) => [onComponent(current, "component:delete", "delete")],
    id: (current) => current.row.id,
    read: (tx, id) => readComponentBack(tx, id),
    apply: async (tx, current) => {
      const serving = await tx
        .select({
          name: system.path,
          readable: readableColumn(systemScope(ctx.actor, "system:read")),
        })
        .from(systemMember)
        .innerJoin(system, eq(system.id, systemMember.systemId))
        .where(eq(systemMember.componentId, current.row.id))
        .orderBy(asc(system.path));
      assertNoDependents(current.row.path, "serves systems", serving, "Remove it from them first.");
      await tx.delete(component).where(eq(component.id, current.row.id));
      await recomputeHealth(tx, { locationIds: [current.row.locationId] });
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true as const };
}
