import { ActionRule, ActionRuleRefInput } from "@omniglass/contracts";
import { getActionRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/action-rules/{ref}",
    tags: ["webhooks"],
    summary: "Get an action rule",
  },
};

export const getActionRule = capability("action:read")
  .meta(meta)
  .input(ActionRuleRefInput)
  .output(ActionRule)
  .query(({ ctx, input }) => inGateway(ctx.gw.db, ctx.gw.actor, input.ref));
