import { System, UpdateSystemInput } from "@omniglass/contracts";
import { updateSystem as updateInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/systems/{ref}",
    tags: ["estate"],
    summary: "Change a system's label or type",
    description: "Send `version` to be refused with 409 if it changed since.",
  },
};

export const updateSystem = capability("system:update")
  .meta(meta)
  .input(UpdateSystemInput)
  .output(System)
  .mutation(({ ctx, input }) => updateInGateway({ ...ctx.gw, input }));
