import { z } from "zod";
import { Ref } from "@omniglass/contracts";
import { deleteNode as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/nodes/{ref}",
    tags: ["nodes"],
    summary: "Delete a node and its principal",
    description: "409 while component interfaces name it as their poller, listing the components.",
  },
};

export const deleteNode = capability("node:delete")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(z.object({ id: z.uuid(), deleted: z.literal(true) }))
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
