import { z } from "zod";
import { Deleted, Ref } from "@omniglass/contracts";
import { deleteRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/rules/{ref}",
    tags: ["rules"],
    summary: "Delete an event rule",
    description: "Its alarms go with it. Template rules are read-only (403).",
  },
};

export const deleteRule = capability("rule:delete")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
