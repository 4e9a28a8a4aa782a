import { CreateRoleInput, SystemDetail } from "@omniglass/contracts";
import { createRole as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/systems/{ref}/roles",
    tags: ["estate"],
    summary: "Add a role to a system",
    description: `A role names the component kinds that may fill it, how many must work (quorum) and the impact below quorum.`,
  },
};

export const createRole = capability("system:update")
  .meta(meta)
  .input(CreateRoleInput)
  .output(SystemDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
