import { z } from "zod";
import { Deleted, Ref } from "@omniglass/contracts";
import { deleteComponent as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/components/{ref}",
    tags: ["estate"],
    summary: "Delete a component",
    description: `409 while it serves systems, naming them.`,
  },
};

export const deleteComponent = capability("component:delete")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
