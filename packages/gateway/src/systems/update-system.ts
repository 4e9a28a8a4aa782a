import { eq } from "drizzle-orm";
import type { System, UpdateSystemInput } from "@omniglass/contracts";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { system } from "../schema";
import { lockSystem, onSystem, systemVersion, typeByName } from "./lock-system";
import { readSystemBack } from "./system-detail";

/** Changes a system's label or type (`system:update`). */
export async function updateSystem({
  input,
  ...ctx
}: GatewayContext & { input: UpdateSystemInput }): Promise<System> {
  return mutate(ctx, {
    verb: "update",
    resource: "system",
    resolve: (tx) => lockSystem(tx, ctx.actor, input.ref),
    needs: (current) => [onSystem(current, "system:update", "update")],
    version: systemVersion(input.version),
    id: (current) => current.row.id,
    read: (tx, id) => readSystemBack(tx, id),
    apply: async (tx, current) => {
      const type = input.type === undefined ? undefined : await typeByName(tx, input.type);
      const changes = {
        ...(input.label !== undefined && input.label !== current.row.label
          ? { label: input.label }
          : {}),
        ...(type && type.id !== current.row.typeId ? { typeId: type.id } : {}),
      };
      if (Object.keys(changes).length === 0) return UNCHANGED;
      await tx
        .update(system)
        .set({ ...changes, ...bumpVersion(system) })
        .where(eq(system.id, current.row.id));
    },
  });
}
