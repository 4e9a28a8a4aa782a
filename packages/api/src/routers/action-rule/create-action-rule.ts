import { ActionRule, CreateActionRuleInput } from "@omniglass/contracts";
import { createActionRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/action-rules",
    tags: ["webhooks"],
    summary: "Create an action rule",
    description:
      "Which alarm transitions (severities, rule ids, kinds, suppressed, acknowledged; scope all, a location subtree, a system or a template) go to which endpoints. Unknown endpoint ids are a 400 naming `endpointIds`.",
  },
};

export const createActionRule = capability("action:write")
  .meta(meta)
  .input(CreateActionRuleInput)
  .output(ActionRule)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
