export { changeTemplate, previewTemplateChange } from "./change-template";
export { createComponent } from "./create-component";
export { deleteComponent } from "./delete-component";
export { findComponents } from "./find-components";
export { getComponent } from "./get-component";
export { moveComponent, renameComponent } from "./relocate-component";
export { updateComponent } from "./update-component";
