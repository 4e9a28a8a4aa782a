import { z } from "zod";
import { Location, Ref, Version } from "@omniglass/contracts";
import { moveLocation as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/locations/{ref}/move",
    tags: ["estate"],
    summary: "Move a location and its subtree",
    description: `Needs location:move on it and on the new parent. The paths of everything below follow.`,
  },
};

export const moveLocation = capability("location:move")
  .meta(meta)
  .input(
    z.object({
      ref: Ref,
      parent: Ref.nullable().describe("The new parent, or null for the top level."),
      version: Version,
    }),
  )
  .output(Location)
  .mutation(({ ctx, input }) =>
    inGateway({
      ...ctx.gw,
      ref: input.ref,
      parent: input.parent,
      version: input.version,
    }),
  );
