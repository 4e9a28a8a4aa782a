import { ListRulesInput, listOf, Rule } from "@omniglass/contracts";
import { findRules as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/rules",
    tags: ["rules"],
    summary: "List event rules",
    description:
      "Custom and template rules, in name order by default; `filter` takes `severity`, `origin` (custom|template), `template` (a template name) and `enabled`; `q` searches name and label.",
  },
};

export const listRules = capability("rule:read")
  .meta(meta)
  .input(ListRulesInput)
  .output(listOf(Rule))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
