import { ActionRule, ListActionRulesInput, listOf } from "@omniglass/contracts";
import { findActionRules as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/action-rules",
    tags: ["webhooks"],
    summary: "List action rules",
    description: "By name; `endpoint` keeps those that deliver to one endpoint.",
  },
};

export const listActionRules = capability("action:read")
  .meta(meta)
  .input(ListActionRulesInput)
  .output(listOf(ActionRule))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
