import { ListTemplatesInput, TemplateSummary, listOf } from "@omniglass/contracts";
import { findTemplates } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/templates",
    tags: ["catalog"],
    summary: "List templates",
    description: `One row per template name, described by its latest version; \`filter\` by \`kind\`.`,
  },
};

export const listTemplates = capability("template:read")
  .meta(meta)
  .input(ListTemplatesInput)
  .output(listOf(TemplateSummary))
  .query(({ ctx, input }) => findTemplates({ ...ctx.gw, input }));
