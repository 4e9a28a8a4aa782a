import { eq } from "drizzle-orm";
import type { MoveInput, RenameInput, System } from "@omniglass/contracts";
import type { Transaction } from "../db";
import { bumpVersion, mutate, nameTaken, UNCHANGED, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { system } from "../schema";
import { lockSystem, onSystem, systemVersion } from "./lock-system";
import { readSystemBack } from "./system-detail";

async function relocate(
  tx: Transaction,
  id: string,
  to: { name: string; locationId: string; locationPath: string },
) {
  const path = `${to.locationPath}.${to.name}`;
  const [clash] = await tx.select({ id: system.id }).from(system).where(eq(system.path, path));
  if (clash) throw nameTaken("system", to.name, `in ${to.locationPath}`);
  await tx
    .update(system)
    .set({ name: to.name, locationId: to.locationId, path, ...bumpVersion(system) })
    .where(eq(system.id, id));
}

/** Renames a system within its location (`system:rename`); a taken name there is 409. */
export async function renameSystem({
  input,
  ...ctx
}: GatewayContext & { input: RenameInput }): Promise<System> {
  return mutate(ctx, {
    verb: "rename",
    resource: "system",
    resolve: (tx) => lockSystem(tx, ctx.actor, input.ref),
    needs: (current) => [onSystem(current, "system:rename", "rename")],
    version: systemVersion(input.version),
    id: (current) => current.row.id,
    read: (tx, id) => readSystemBack(tx, id),
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

/** Moves a system to another location (`system:move` at both ends); its members stay where they are placed. */
export async function moveSystem({
  input,
  ...ctx
}: GatewayContext & { input: MoveInput }): Promise<System> {
  return mutate(ctx, {
    verb: "move",
    resource: "system",
    resolve: async (tx) => ({
      current: await lockSystem(tx, ctx.actor, input.ref),
      target: await resolveLocation(tx, ctx.actor, input.location),
    }),
    needs: ({ current, target }) => [
      onSystem(current, "system:move", "move"),
      { capability: "system:move", location: target.path, action: "move systems" },
    ],
    version: ({ current }) => systemVersion(input.version)(current),
    id: ({ current }) => current.row.id,
    read: (tx, id) => readSystemBack(tx, id),
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
