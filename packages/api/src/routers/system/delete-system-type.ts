import { z } from "zod";
import { Deleted, Name } from "@omniglass/contracts";
import { deleteSystemType as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/system-types/{name}",
    tags: ["estate"],
    summary: "Delete an unused system type of your own",
    description: `Official types are read-only; 409 while systems have the type.`,
  },
};

export const deleteSystemType = capability("system-type:delete")
  .meta(meta)
  .input(z.object({ name: Name }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, name: input.name }));
