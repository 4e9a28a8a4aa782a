import { ActionRuleRefInput, Deleted } from "@omniglass/contracts";
import { deleteActionRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/action-rules/{ref}",
    tags: ["webhooks"],
    summary: "Delete an action rule",
    description:
      "No transition matches it from now on. Its past deliveries stay in the log; queued ones are still sent.",
  },
};

export const deleteActionRule = capability("action:write")
  .meta(meta)
  .input(ActionRuleRefInput)
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
