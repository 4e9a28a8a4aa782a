import { asc, eq } from "drizzle-orm";
import { componentScope } from "../components/resolve-component";
import { assertNoDependents, mutate, readableColumn, type GatewayContext } from "../kit";
import { component, componentInterface, principal } from "../schema";
import { lockNode, onNode, readNodeBack } from "./lock-node";

/**
 * Deletes a node that no component interface names any more (409 naming the components the
 * caller may read), with its principal.
 */
export async function deleteNode({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "node",
    resolve: (tx) => lockNode(tx, ctx.actor, ref),
    needs: (current) => [onNode(current, "node:delete", "delete")],
    id: (current) => current.row.id,
    read: (tx, id) => readNodeBack(tx, id),
    apply: async (tx, current) => {
      const polled = await tx
        .selectDistinct({
          name: component.path,
          readable: readableColumn(componentScope(ctx.actor, "component:read")),
        })
        .from(componentInterface)
        .innerJoin(component, eq(component.id, componentInterface.componentId))
        .where(eq(componentInterface.nodeId, current.row.id))
        .orderBy(asc(component.path));
      assertNoDependents(
        current.name,
        "polls interfaces of components",
        polled,
        "Bind them to another node first.",
      );
      // The node row goes with its principal (on delete cascade), and so do its grants and tokens.
      await tx.delete(principal).where(eq(principal.id, current.row.id));
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true as const };
}
