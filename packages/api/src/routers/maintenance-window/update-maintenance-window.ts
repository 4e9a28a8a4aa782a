import { MaintenanceWindow, UpdateMaintenanceWindowInput } from "@omniglass/contracts";
import { updateMaintenanceWindow as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/maintenance-windows/{ref}",
    tags: ["maintenance-windows"],
    summary: "Change a maintenance window",
    description:
      "Schedule, scope, text or enabled. A new scope needs `maintenance:write` there as well as where the window is now. A stale `version` is 409.",
  },
};

export const updateMaintenanceWindow = capability("maintenance:write")
  .meta(meta)
  .input(UpdateMaintenanceWindowInput)
  .output(MaintenanceWindow)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
