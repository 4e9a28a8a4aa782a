import { router } from "../../trpc";
import { ownerHealth, ownerHealthHistory } from "../health/owner-health";
import { ownerSamples, ownerValues } from "../sample/owner-reads";
import { listRejections } from "./list-rejections";
import { changeTemplate } from "./change-template";
import { createComponent } from "./create-component";
import { deleteComponent } from "./delete-component";
import { getComponent } from "./get-component";
import { listComponents } from "./list-components";
import { moveComponent } from "./move-component";
import { previewTemplateChange } from "./preview-template-change";
import { renameComponent } from "./rename-component";
import { updateComponent } from "./update-component";

export const componentRouter = router({
  list: listComponents,
  get: getComponent,
  create: createComponent,
  update: updateComponent,
  delete: deleteComponent,
  rename: renameComponent,
  move: moveComponent,
  previewTemplateChange,
  changeTemplate,
  values: ownerValues("component"),
  samples: ownerSamples("component"),
  health: ownerHealth("component"),
  healthHistory: ownerHealthHistory("component"),
  rejections: listRejections,
});
