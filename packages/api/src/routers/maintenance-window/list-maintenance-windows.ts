import { ListMaintenanceWindowsInput, listOf, MaintenanceWindow } from "@omniglass/contracts";
import { findMaintenanceWindows as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "GET",
    path: "/maintenance-windows",
    tags: ["maintenance-windows"],
    summary: "List maintenance windows",
    description:
      "Windows placed where you may read them (their scope's location, system or component; template-scoped ones need scope all), in name order by default; `filter` takes `scope` (location|system|template|owner) and `enabled`; `q` searches name and label.",
  },
};

export const listMaintenanceWindows = capability("maintenance:read")
  .meta(meta)
  .input(ListMaintenanceWindowsInput)
  .output(listOf(MaintenanceWindow))
  .query(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
