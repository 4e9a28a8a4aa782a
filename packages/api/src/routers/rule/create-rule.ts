import { CreateRuleInput, Rule } from "@omniglass/contracts";
import { createRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/rules",
    tags: ["rules"],
    summary: "Add an event rule",
    description:
      "CEL `fire` (and optional `clear`) over `signals`, `fresh`, `age` and `previous`, validated on save: an error is a 400 naming the field and the line and column. A registry: needs `rule:create` on scope all.",
  },
};

export const createRule = capability("rule:create")
  .meta(meta)
  .input(CreateRuleInput)
  .output(Rule)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
