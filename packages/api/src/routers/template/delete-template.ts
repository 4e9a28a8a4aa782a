import { z } from "zod";
import { Deleted } from "@omniglass/contracts";
import { deleteTemplate as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/templates/{ref}",
    tags: ["catalog"],
    summary: "Delete an unused template version of your own",
    description: `Official versions are read-only; 409 while components pin it.`,
  },
};

export const deleteTemplate = capability("template:delete")
  .meta(meta)
  .input(z.object({ ref: z.string().min(1).max(140).describe("`<name>@<version>` or an id.") }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
