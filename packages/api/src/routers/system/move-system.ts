import { MoveInput, System } from "@omniglass/contracts";
import { moveSystem as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/systems/{ref}/move",
    tags: ["estate"],
    summary: "Move a system to another location",
    description: `Needs system:move at both ends. Its members stay where they are placed.`,
  },
};

export const moveSystem = capability("system:move")
  .meta(meta)
  .input(MoveInput)
  .output(System)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
