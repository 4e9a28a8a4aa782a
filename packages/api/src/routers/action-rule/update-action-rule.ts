import { ActionRule, UpdateActionRuleInput } from "@omniglass/contracts";
import { updateActionRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/action-rules/{ref}",
    tags: ["webhooks"],
    summary: "Change an action rule",
    description:
      "Label, enabled, matchers (replaced whole), scope or endpoints. A new scope needs `action:write` there as well as where the rule is now; unknown endpoints are a 400 naming `endpointIds`; a stale `version` is 409.",
  },
};

export const updateActionRule = capability("action:write")
  .meta(meta)
  .input(UpdateActionRuleInput)
  .output(ActionRule)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
