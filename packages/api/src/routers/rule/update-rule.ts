import { Rule, UpdateRuleInput } from "@omniglass/contracts";
import { updateRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/rules/{ref}",
    tags: ["rules"],
    summary: "Change an event rule",
    description:
      "A template or built-in rule takes only `enabled` (switching it off or on); any other field is refused with 403 naming it. Send `version` to be refused with 409 if it changed since; open alarms stay open and the next samples are judged by the new expressions.",
  },
};

export const updateRule = capability("rule:update")
  .meta(meta)
  .input(UpdateRuleInput)
  .output(Rule)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
