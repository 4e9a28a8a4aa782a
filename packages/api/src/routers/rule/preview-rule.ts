import { PreviewRuleInput, RulePreview } from "@omniglass/contracts";
import { previewRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/rules/{ref}/preview",
    tags: ["rules"],
    summary: "Preview a rule over recent history",
    description:
      "Replays the rule over the last `hours` (max 168) of history of the owners in its scope that you may read and lists when it would have fired and cleared. Bounded: at most 200 owners and 50,000 samples (`truncated` says when cut). Writes nothing.",
  },
};

export const previewRule = capability("rule:read")
  .meta(meta)
  .input(PreviewRuleInput)
  .output(RulePreview)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
