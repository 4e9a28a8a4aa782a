import { CreateSystemInput, System } from "@omniglass/contracts";
import { createSystem as createInGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/systems",
    tags: ["estate"],
    summary: "Create a system in a location",
    description: "Needs system:create on the location. 409 when the name is taken there.",
  },
};

export const createSystem = capability("system:create")
  .meta(meta)
  .input(CreateSystemInput)
  .output(System)
  .mutation(({ ctx, input }) => createInGateway({ ...ctx.gw, input }));
