import { MoveInput, Node } from "@omniglass/contracts";
import { moveNode as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/nodes/{ref}/move",
    tags: ["nodes"],
    summary: "Move a node to another location",
    description: "Needs node:move at both ends.",
  },
};

export const moveNode = capability("node:move")
  .meta(meta)
  .input(MoveInput)
  .output(Node)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
