import { z } from "zod";
import { Location, Name, Ref } from "@omniglass/contracts";
import { renameLocation as renameInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/locations/{ref}/rename",
    tags: ["locations"],
    summary: "Rename a location",
    description:
      "Its dotted path and those of everything below it change with it. 409 when the name is taken among its siblings.",
  },
};

export const renameLocation = capability("location:rename")
  .meta(meta)
  .input(z.object({ ref: Ref, name: Name, version: z.number().int().positive().optional() }))
  .output(Location)
  .mutation(({ ctx, input }) =>
    renameInGateway({
      ...ctx.gw,
      ref: input.ref,
      name: input.name,
      version: input.version,
    }),
  );
