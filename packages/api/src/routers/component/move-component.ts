import { ComponentDetail, MoveInput } from "@omniglass/contracts";
import { moveComponent as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/components/{ref}/move",
    tags: ["estate"],
    summary: "Move a component to another location",
    description: `Needs component:move at both ends; its system memberships stay.`,
  },
};

export const moveComponent = capability("component:move")
  .meta(meta)
  .input(MoveInput)
  .output(ComponentDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
