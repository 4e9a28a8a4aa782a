import { ComponentDetail, CreateComponentInput } from "@omniglass/contracts";
import { createComponent as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/components",
    tags: ["estate"],
    summary: "Create a component from a template",
    description: `Needs component:create on the location, and system:update on \`system\` when given (it becomes the component's primary system).`,
  },
};

export const createComponent = capability("component:create")
  .meta(meta)
  .input(CreateComponentInput)
  .output(ComponentDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
