import { ComponentDetail, TemplateChangeInput } from "@omniglass/contracts";
import { changeTemplate as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/components/{ref}/template",
    tags: ["estate"],
    summary: "Move a component to another version of its template",
    description: `Preview it first with GET /components/{ref}/template-change. 409 when a role it fills would not accept the new kind.`,
  },
};

export const changeTemplate = capability("component:update")
  .meta(meta)
  .input(TemplateChangeInput)
  .output(ComponentDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
