import { eq } from "drizzle-orm";
import type { Location, UpdateLocationInput } from "@omniglass/contracts";
import { bumpVersion, mutate, UNCHANGED, type GatewayContext } from "../kit";
import { location } from "../schema";
import {
  atLocation,
  locationVersion,
  lockLocation,
  readLocationBack,
  typeByName,
} from "./lock-location";

/** Changes a location's label or type. Needs `location:update` there; a stale `version` is 409. */
export async function updateLocation({
  input,
  ...ctx
}: GatewayContext & { input: UpdateLocationInput }): Promise<Location> {
  return mutate(ctx, {
    verb: "update",
    resource: "location",
    resolve: (tx) => lockLocation(tx, ctx.actor, input.ref),
    needs: (current) => [atLocation(current, "location:update", "update")],
    version: locationVersion(input.version),
    id: (current) => current.id,
    read: (tx, id) => readLocationBack(tx, id),
    apply: async (tx, current) => {
      const type = input.type === undefined ? undefined : await typeByName(tx, input.type);
      const changes = {
        ...(input.label !== undefined && input.label !== current.label
          ? { label: input.label }
          : {}),
        ...(type && type.id !== current.typeId ? { typeId: type.id } : {}),
      };
      // Nothing to change is an idempotent no-op: no write, no audit row.
      if (Object.keys(changes).length === 0) return UNCHANGED;
      await tx
        .update(location)
        .set({ ...changes, ...bumpVersion(location) })
        .where(eq(location.id, current.id));
    },
  });
}
