import { ListInput, listOf, SystemType } from "@omniglass/contracts";
import { listSystemTypes as listInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: { method: "GET", path: "/system-types", tags: ["estate"], summary: "List system types" },
};

export const listSystemTypes = capability("system-type:read")
  .meta(meta)
  .input(ListInput)
  .output(listOf(SystemType))
  .query(({ ctx, input }) => listInGateway({ ...ctx.gw, input }));
