import { z } from "zod";
import { ListInput, TemplateVersion, listOf } from "@omniglass/contracts";
import { listTemplateVersions as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/templates/{ref}/versions",
    tags: ["catalog"],
    summary: "List the versions of a template",
    description: `Newest first.`,
  },
};

export const listTemplateVersions = capability("template:read")
  .meta(meta)
  .input(ListInput.extend({ ref: z.string().min(1).max(140) }))
  .output(listOf(TemplateVersion))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref, input }));
