import { CreateSystemTypeInput, SystemType } from "@omniglass/contracts";
import { createSystemType as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/system-types",
    tags: ["estate"],
    summary: "Add a system type",
    description: `The registry is platform-wide: needs system-type:create on scope all.`,
  },
};

export const createSystemType = capability("system-type:create")
  .meta(meta)
  .input(CreateSystemTypeInput)
  .output(SystemType)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
