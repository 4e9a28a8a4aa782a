import { MaintenanceWindowPreview, PreviewDraftMaintenanceWindowInput } from "@omniglass/contracts";
import { previewDraftMaintenanceWindow as inGateway } from "@omniglass/gateway";
import { capability, type Meta } from "../../trpc";

const meta: Meta = {
  openapi: {
    method: "POST",
    path: "/maintenance-windows/preview",
    tags: ["maintenance-windows"],
    summary: "Preview a draft maintenance window",
    description:
      "The same preview for a window not saved yet (the editor's form): its schedule validated as on save. Writes nothing.",
  },
};

export const previewDraftMaintenanceWindow = capability("maintenance:read")
  .meta(meta)
  .input(PreviewDraftMaintenanceWindowInput)
  .output(MaintenanceWindowPreview)
  .mutation(({ ctx, input }) => inGateway({ ...ctx.gw, input }));
