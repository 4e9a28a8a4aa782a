import { eq } from "drizzle-orm";
import type { ComponentDetail, MoveInput, RenameInput } from "@omniglass/contracts";
import type { Transaction } from "../db";
import { bumpVersion, mutate, nameTaken, UNCHANGED, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { component } from "../schema";
import { readComponentBack } from "./component-detail";
import { componentVersion, lockComponent, onComponent } from "./lock-component";

async function relocate(
  tx: Transaction,
  id: string,
  to: { name: string; locationId: string; locationPath: string },
) {
  const path = `${to.locationPath}.${to.name}`;
  const [clash] = await tx
    .select({ id: component.id })
    .from(component)
    .where(eq(component.path, path));
  if (clash) throw nameTaken("component", to.name, `in ${to.locationPath}`);
  await tx
    .update(component)
    .set({ name: to.name, locationId: to.locationId, path, ...bumpVersion(component) })
    .where(eq(component.id, id));
}

/**
 * Renames a component within its location (`component:rename`, a placement verb: its location's
 * scope, never a system grant's).
 */
export async function renameComponent({
  input,
  ...ctx
}: GatewayContext & { input: RenameInput }): Promise<ComponentDetail> {
  return mutate(ctx, {
    verb: "rename",
    resource: "component",
    resolve: (tx) => lockComponent(tx, ctx.actor, input.ref),
    needs: (current) => [onComponent(current, "component:rename", "rename")],
    version: componentVersion(input.version),
    id: (current) => current.row.id,
    read: (tx, id) => readComponentBack(tx, id),
    apply: async (tx, current) => {
      if (current.row.name === input.name) return UNCHANGED;
      await relocate(tx, current.row.id, {
        name: input.name,
        locationId: current.row.locationId,
        locationPath: current.locationPath,
      });
    },
  });
}

/** Moves a component to another location (`component:move` at both ends); its memberships stay. */
export async function moveComponent({
  input,
  ...ctx
}: GatewayContext & { input: MoveInput }): Promise<ComponentDetail> {
  return mutate(ctx, {
    verb: "move",
    resource: "component",
    resolve: async (tx) => ({
      current: await lockComponent(tx, ctx.actor, input.ref),
      target: await resolveLocation(tx, ctx.actor, input.location),
    }),
    needs: ({ current, target }) => [
      onComponent(current, "component:move", "move"),
      { capability: "component:move", location: target.path, action: "move components" },
    ],
    version: ({ current }) => componentVersion(input.version)(current),
    id: ({ current }) => current.row.id,
    read: (tx, id) => readComponentBack(tx, id),
    apply: async (tx, { current, target }) => {
      if (target.id === current.row.locationId) return UNCHANGED;
      await relocate(tx, current.row.id, {
        name: current.row.name,
        locationId: target.id,
        locationPath: target.path,
      });
    },
  });
}
