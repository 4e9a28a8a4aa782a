import { ExplainBindingsInput, VariableExplanation } from "@omniglass/contracts";
import { explainBindings } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/variables/explain",
    tags: ["variables"],
    summary: "Explain a target's effective variables",
    description:
      "Resolved down the cascade: platform, the location tree from the root, the system (for a component: its primary system), the component. For each key (or only `key`): the effective value, the binding that won and the ones it shadowed, most specific first.",
  },
};

export const explainVariables = capability("variable:read")
  .meta(meta)
  .input(ExplainBindingsInput)
  .output(VariableExplanation)
  .query(({ ctx, input }) => explainBindings({ ...ctx.gw, kind: "variable", input }));
