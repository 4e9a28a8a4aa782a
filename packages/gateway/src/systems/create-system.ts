import type { CreateSystemInput, System } from "@omniglass/contracts";
import { recomputeHealth } from "../health/recompute-health";
import { v7 as uuidv7 } from "uuid";
import { mutate, nameTaken, type GatewayContext } from "../kit";
import { resolveLocation } from "../locations/resolve-location";
import { system } from "../schema";
import { typeByName } from "./lock-system";
import { readSystemBack } from "./system-detail";

/** Creates a system in a location (`system:create` there). */
export async function createSystem({
  input,
  ...ctx
}: GatewayContext & { input: CreateSystemInput }): Promise<System> {
  return mutate(ctx, {
    verb: "create",
    resource: "system",
    resolve: (tx) => resolveLocation(tx, ctx.actor, input.location),
    needs: (place) => [
      { capability: "system:create", location: place.path, action: "create systems" },
    ],
    read: (tx, id) => readSystemBack(tx, id),
    apply: async (tx, place) => {
      const type = await typeByName(tx, input.type);
      const [created] = await tx
        .insert(system)
        .values({
          id: uuidv7(),
          name: input.name,
          label: input.label ?? null,
          typeId: type.id,
          locationId: place.id,
          path: `${place.path}.${input.name}`,
        })
        .onConflictDoNothing()
        .returning({ id: system.id });
      if (!created) throw nameTaken("system", input.name, `in ${place.path}`);
      await recomputeHealth(tx, { systemIds: [created.id] });
      return { id: created.id };
    },
  });
}
