import { ListInput, listOf, Role } from "@omniglass/contracts";
import { listRoles as listInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/roles",
    tags: ["access"],
    summary: "List roles with their permissions",
  },
};

export const listRoles = capability("role:read")
  .meta(meta)
  .input(ListInput)
  .output(listOf(Role))
  .query(({ ctx, input }) => listInGateway({ ...ctx.gw, input }));
