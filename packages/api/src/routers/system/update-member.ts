import { SystemDetail, UpdateMemberInput } from "@omniglass/contracts";
import { updateMember as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/systems/{ref}/members/{component}",
    tags: ["estate"],
    summary: "Change a member's role or primary flag",
  },
};

export const updateMember = capability("system:update")
  .meta(meta)
  .input(UpdateMemberInput)
  .output(SystemDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
