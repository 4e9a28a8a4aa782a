import { Node, UpdateNodeInput } from "@omniglass/contracts";
import { updateNode as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/nodes/{ref}",
    tags: ["nodes"],
    summary: "Change a node's label",
    description: "Send `version` to be refused with 409 if it changed since.",
  },
};

export const updateNode = capability("node:update")
  .meta(meta)
  .input(UpdateNodeInput)
  .output(Node)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
