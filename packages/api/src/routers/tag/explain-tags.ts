import { ExplainBindingsInput, TagExplanation } from "@omniglass/contracts";
import { explainBindings } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/tags/explain",
    tags: ["tags"],
    summary: "Explain a target's effective tags",
    description:
      "Resolved down the cascade: platform, the location tree from the root, the system (for a component: its primary system), the component. For each key (or only `key`): the effective value, the binding that won and the ones it shadowed, most specific first.",
  },
};

export const explainTags = capability("tag:read")
  .meta(meta)
  .input(ExplainBindingsInput)
  .output(TagExplanation)
  .query(({ ctx, input }) => explainBindings({ ...ctx.gw, kind: "tag", input }));
