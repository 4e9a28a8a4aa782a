import { ComponentDetail, RenameInput } from "@omniglass/contracts";
import { renameComponent as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/components/{ref}/rename",
    tags: ["estate"],
    summary: "Rename a component",
  },
};

export const renameComponent = capability("component:rename")
  .meta(meta)
  .input(RenameInput)
  .output(ComponentDetail)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
