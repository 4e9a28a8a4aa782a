import type { CreateLocationInput, Location } from "@omniglass/contracts";
import { recomputeHealth } from "../health/recompute-health";
import { v7 as uuidv7 } from "uuid";
import { mutate, nameTaken, type GatewayContext } from "../kit";
import { location } from "../schema";
import { readLocationBack, typeByName } from "./lock-location";
import { resolveLocation } from "./resolve-location";

/** Creates a location under `parent` (or a root). Needs `location:create` on the new location's path. */
export async function createLocation({
  input,
  ...ctx
}: GatewayContext & { input: CreateLocationInput }): Promise<Location> {
  return mutate(ctx, {
    verb: "create",
    resource: "location",
    resolve: async (tx) => {
      const parent = input.parent ? await resolveLocation(tx, ctx.actor, input.parent) : null;
      return { parent, path: parent ? `${parent.path}.${input.name}` : input.name };
    },
    needs: ({ parent, path }) => [
      {
        capability: "location:create",
        location: path,
        action: "create locations",
        where: parent?.path ?? "the top level",
      },
    ],
    read: (tx, id) => readLocationBack(tx, id),
    apply: async (tx, { parent, path }) => {
      const type = await typeByName(tx, input.type);
      const [created] = await tx
        .insert(location)
        .values({
          id: uuidv7(),
          parentId: parent?.id ?? null,
          typeId: type.id,
          name: input.name,
          label: input.label ?? null,
          path,
          depth: parent ? parent.depth + 1 : 0,
        })
        .onConflictDoNothing()
        .returning({ id: location.id });
      if (!created)
        throw nameTaken("location", input.name, parent ? `in ${parent.path}` : "at the top level");
      await recomputeHealth(tx, { locationIds: [created.id] });
      return { id: created.id };
    },
  });
}
