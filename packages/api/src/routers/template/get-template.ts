import { z } from "zod";
import { TemplateVersion } from "@omniglass/contracts";
import { getTemplate as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/templates/{ref}",
    tags: ["catalog"],
    summary: "Get a template version",
  },
};

export const getTemplate = capability("template:read")
  .meta(meta)
  .input(
    z.object({
      ref: z.string().min(1).max(140).describe("`<name>` (latest), `<name>@<version>` or an id."),
    }),
  )
  .output(TemplateVersion)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
