import { RenameInput, System } from "@omniglass/contracts";
import { renameSystem as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/systems/{ref}/rename",
    tags: ["estate"],
    summary: "Rename a system",
    description: `409 when the name is taken in its location; send \`version\` to be refused if it changed since.`,
  },
};

export const renameSystem = capability("system:rename")
  .meta(meta)
  .input(RenameInput)
  .output(System)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
