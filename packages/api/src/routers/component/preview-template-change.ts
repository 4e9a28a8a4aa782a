import { TemplateChangeInput, TemplateChanges } from "@omniglass/contracts";
import { previewTemplateChange as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/components/{ref}/template-change",
    tags: ["estate"],
    summary: "Preview moving a component to another template version",
    description: `Signals gained and lost, interfaces, functions and rules added, removed or changed. Changes nothing.`,
  },
};

export const previewTemplateChange = capability("component:read")
  .meta(meta)
  .input(TemplateChangeInput.omit({ version: true }))
  .output(TemplateChanges)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
