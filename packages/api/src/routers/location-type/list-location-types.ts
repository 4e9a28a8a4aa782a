import { ListInput, listOf, LocationType } from "@omniglass/contracts";
import { listLocationTypes as listInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/location-types",
    tags: ["locations"],
    summary: "List location types (official and your own)",
  },
};

export const listLocationTypes = capability("location-type:read")
  .meta(meta)
  .input(ListInput)
  .output(listOf(LocationType))
  .query(({ ctx, input }) => listInGateway({ ...ctx.gw, input }));
