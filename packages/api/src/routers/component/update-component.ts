import { ComponentDetail, UpdateComponentInput } from "@omniglass/contracts";
import { updateComponent as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/components/{ref}",
    tags: ["estate"],
    summary: "Change a component's label, identity or interface bindings",
    description: `Send \`version\` to be refused with 409 if it changed since.`,
  },
};

export const updateComponent = capability("component:update")
  .meta(meta)
  .input(UpdateComponentInput)
  .output(ComponentDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
