import { MaintenanceWindowPreview, PreviewMaintenanceWindowInput } from "@omniglass/contracts";
import { previewMaintenanceWindow as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/maintenance-windows/{ref}/preview",
    tags: ["maintenance-windows"],
    summary: "Preview a maintenance window",
    description:
      "The next `count` occurrences (UTC and local; `dst` marks starts moved by a DST gap or taken from a repeated hour) and what it would have suppressed in the last 7 days: the alarms you may read, of owners in its scope, open during an occurrence (at most 500 looked at). Writes nothing.",
  },
};

export const previewMaintenanceWindow = capability("maintenance:read")
  .meta(meta)
  .input(PreviewMaintenanceWindowInput)
  .output(MaintenanceWindowPreview)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
