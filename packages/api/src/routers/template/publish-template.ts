import { z } from "zod";
import { TemplateDocument, TemplateVersion } from "@omniglass/contracts";
import { publishTemplate as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/templates",
    tags: ["catalog"],
    summary: "Publish a template version",
    description: `The document is validated against the template JSON Schema (/api/template.schema.json); its version must be the next of its name; every signal it produces must be in the catalog. Published versions are immutable.`,
  },
};

export const publishTemplate = capability("template:create")
  .meta(meta)
  .input(z.object({ document: TemplateDocument }))
  .output(TemplateVersion)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, document: input.document }));
