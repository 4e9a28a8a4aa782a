import { SystemDetail, UpdateRoleInput } from "@omniglass/contracts";
import { updateRole as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/systems/{ref}/roles/{role}",
    tags: ["estate"],
    summary: "Change a role",
  },
};

export const updateRole = capability("system:update")
  .meta(meta)
  .input(UpdateRoleInput)
  .output(SystemDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
