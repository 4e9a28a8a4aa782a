import { asc, eq } from "drizzle-orm";
import { recomputeHealth } from "../health/recompute-health";
import { OmniglassError } from "@omniglass/domain";
import { componentScope } from "../components/resolve-component";
import {
  assertNoDependents,
  mutate,
  readableColumn,
  type Dependent,
  type GatewayContext,
} from "../kit";
import { nodeScope } from "../nodes/resolve-node";
import { component, location, node, principal, roleGrant, system } from "../schema";
import { systemScope } from "../systems/resolve-system";
import { atLocation, lockLocation, readLocationBack } from "./lock-location";
import { locationScopeCondition } from "./scope";

/**
 * Deletes a location with no children, nothing placed in it and no grants on it. Needs
 * `location:delete` there. A refusal names only the dependents the caller may read.
 */
export async function deleteLocation({
  ref,
  ...ctx
}: GatewayContext & { ref: string }): Promise<{ id: string; deleted: true }> {
  const { actor } = ctx;
  const before = await mutate(ctx, {
    verb: "delete",
    resource: "location",
    resolve: (tx) => lockLocation(tx, actor, ref),
    needs: (current) => [atLocation(current, "location:delete", "delete")],
    id: (current) => current.id,
    read: (tx, id) => readLocationBack(tx, id),
    apply: async (tx, current) => {
      // Everything below or placed here depends on it: the 409 names what (what the caller may
      // read), so the operator knows what to move. One query after the other: a transaction's
      // client takes one at a time.
      const dependents: [string, () => Promise<Dependent[]>][] = [
        [
          "has children",
          () =>
            tx
              .select({
                name: location.path,
                readable: readableColumn(locationScopeCondition(actor, "location:read")),
              })
              .from(location)
              .where(eq(location.parentId, current.id))
              .orderBy(asc(location.path)),
        ],
        [
          "holds systems",
          () =>
            tx
              .select({
                name: system.path,
                readable: readableColumn(systemScope(actor, "system:read")),
              })
              .from(system)
              .where(eq(system.locationId, current.id))
              .orderBy(asc(system.path)),
        ],
        [
          "holds components",
          () =>
            tx
              .select({
                name: component.path,
                readable: readableColumn(componentScope(actor, "component:read")),
              })
              .from(component)
              .where(eq(component.locationId, current.id))
              .orderBy(asc(component.path)),
        ],
        [
          "holds nodes",
          () =>
            tx
              .select({
                name: principal.name,
                readable: readableColumn(nodeScope(actor, "node:read")),
              })
              .from(node)
              .innerJoin(principal, eq(principal.id, node.id))
              .innerJoin(location, eq(location.id, node.locationId))
              .where(eq(node.locationId, current.id))
              .orderBy(asc(principal.name)),
        ],
      ];
      for (const [relation, query] of dependents)
        assertNoDependents(current.path, relation, await query(), "Delete or move them first.");
      const [granted] = await tx
        .select({ id: roleGrant.id })
        .from(roleGrant)
        .where(eq(roleGrant.locationId, current.id))
        .limit(1);
      if (granted)
        throw new OmniglassError(
          "CONFLICT",
          `${current.path} is the scope of grants; revoke them first.`,
        );
      await tx.delete(location).where(eq(location.id, current.id));
      if (current.parentId) await recomputeHealth(tx, { locationIds: [current.parentId] });
      return { deleted: true };
    },
  });
  return { id: before.id, deleted: true as const };
}
