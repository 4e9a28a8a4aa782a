import { z } from "zod";
import { Deleted, Name } from "@omniglass/contracts";
import { deleteSignal as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/signals/{name}",
    tags: ["catalog"],
    summary: "Delete an unused signal of your own",
    description: `Official signals are read-only; 409 while a template produces it.`,
  },
};

export const deleteSignal = capability("signal:delete")
  .meta(meta)
  .input(z.object({ name: Name }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, name: input.name }));
