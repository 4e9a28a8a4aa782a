import { router } from "../../trpc";
import { createMaintenanceWindow } from "./create-maintenance-window";
import { deleteMaintenanceWindow } from "./delete-maintenance-window";
import { getMaintenanceWindow } from "./get-maintenance-window";
import { listMaintenanceWindows } from "./list-maintenance-windows";
import { previewDraftMaintenanceWindow } from "./preview-draft-maintenance-window";
import { previewMaintenanceWindow } from "./preview-maintenance-window";
import { updateMaintenanceWindow } from "./update-maintenance-window";

export const maintenanceWindowRouter = router({
  list: listMaintenanceWindows,
  get: getMaintenanceWindow,
  create: createMaintenanceWindow,
  update: updateMaintenanceWindow,
  delete: deleteMaintenanceWindow,
  preview: previewMaintenanceWindow,
  previewDraft: previewDraftMaintenanceWindow,
});
