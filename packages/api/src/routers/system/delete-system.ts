import { z } from "zod";
import { Deleted, Ref } from "@omniglass/contracts";
import { deleteSystem as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/systems/{ref}",
    tags: ["estate"],
    summary: "Delete a system",
    description: "409 while components serve it (naming them) or grants are scoped to it.",
  },
};

export const deleteSystem = capability("system:delete")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
