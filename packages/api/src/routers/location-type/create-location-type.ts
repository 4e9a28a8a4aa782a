import { z } from "zod";
import { Label, LocationType, Name } from "@omniglass/contracts";
import { createLocationType as createInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/location-types",
    tags: ["locations"],
    summary: "Add a location type of your own",
  },
};

export const createLocationType = capability("location-type:create")
  .meta(meta)
  .input(z.object({ name: Name, label: Label }))
  .output(LocationType)
  .mutation(({ ctx, input }) => createInGateway({ ...ctx.gw, input }));
