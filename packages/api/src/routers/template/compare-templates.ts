import { z } from "zod";
import { TemplateChanges } from "@omniglass/contracts";
import { compareTemplateVersions } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/templates/{ref}/compare",
    tags: ["catalog"],
    summary: "Compare two versions of a template",
    description: `What changes for a component moving from \`ref\` to \`to\`.`,
  },
};

export const compareTemplates = capability("template:read")
  .meta(meta)
  .input(
    z.object({
      ref: z.string().min(1).max(140).describe("The version compared from: `<name>@<version>`."),
      to: z.string().min(1).max(140).describe("The version compared to."),
    }),
  )
  .output(TemplateChanges)
  .query(({ ctx, input }) => compareTemplateVersions({ ...ctx.gw, from: input.ref, to: input.to }));
