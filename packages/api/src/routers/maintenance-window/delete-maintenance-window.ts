import { z } from "zod";
import { Deleted, Ref } from "@omniglass/contracts";
import { deleteMaintenanceWindow as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "DELETE",
    path: "/maintenance-windows/{ref}",
    tags: ["maintenance-windows"],
    summary: "Delete a maintenance window",
  },
};

export const deleteMaintenanceWindow = capability("maintenance:write")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(Deleted)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
