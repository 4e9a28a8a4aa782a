import { CreateMaintenanceWindowInput, MaintenanceWindow } from "@omniglass/contracts";
import { createMaintenanceWindow as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/maintenance-windows",
    tags: ["maintenance-windows"],
    summary: "Add a maintenance window",
    description:
      "A local start (`dtstart`, no offset) in an IANA `timeZone`, an elapsed `duration` and an optional `rrule`. DST policy: a start in a skipped hour starts at the first valid instant after it; a repeated hour runs once (decision 0010). Errors name the field and the RRULE part. Needs `maintenance:write` where the scope is (a template scope: on scope all).",
  },
};

export const createMaintenanceWindow = capability("maintenance:write")
  .meta(meta)
  .input(CreateMaintenanceWindowInput)
  .output(MaintenanceWindow)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
