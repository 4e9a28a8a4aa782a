import { AddMemberInput, SystemDetail } from "@omniglass/contracts";
import { addMember as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/systems/{ref}/members",
    tags: ["estate"],
    summary: "Add a component to a system",
    description: `Optionally as its primary system (the previous primary is demoted) and filling one of the system's roles (which must accept the component's kind).`,
  },
};

export const addMember = capability("system:update")
  .meta(meta)
  .input(AddMemberInput)
  .output(SystemDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
