import { PreviewDraftInput, RulePreview } from "@omniglass/contracts";
import { previewDraftRule as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/rules/preview",
    tags: ["rules"],
    summary: "Preview an unsaved rule over recent history",
    description:
      "Like the preview of a saved rule, for a rule body not saved yet (validated like a save). Writes nothing.",
  },
};

export const previewDraftRule = capability("rule:read")
  .meta(meta)
  .input(PreviewDraftInput)
  .output(RulePreview)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
