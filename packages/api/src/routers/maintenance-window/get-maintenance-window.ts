import { z } from "zod";
import { MaintenanceWindow, Ref } from "@omniglass/contracts";
import { getMaintenanceWindow as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/maintenance-windows/{ref}",
    tags: ["maintenance-windows"],
    summary: "Get a maintenance window by id or name",
  },
};

export const getMaintenanceWindow = capability("maintenance:read")
  .meta(meta)
  .input(z.object({ ref: Ref }))
  .output(MaintenanceWindow)
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, ref: input.ref }));
