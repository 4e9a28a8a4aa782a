export {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  updateMaintenanceWindow,
} from "./write-window";
export { findMaintenanceWindows, getMaintenanceWindow } from "./find-windows";
export {
  previewDraftMaintenanceWindow,
  previewMaintenanceWindow,
  PREVIEW_MAX_ALARMS,
} from "./preview-window";
export { createSilence, expireSilence, updateSilence, type SilenceLimits } from "./write-silence";
export { findSilences, getSilence } from "./find-silences";
export {
  unsafeActiveSuppressions,
  type AppliedSilence,
  type AppliedWindow,
  type SuppressionFacts,
  type Suppressions,
} from "./active-suppressions";
export {
  unsafeReevaluateDependentsOf,
  unsafeReevaluateSuppressions,
  unsafeSuppressDependentsOf,
} from "./reevaluate-suppression";
export type { SuppressionDecision } from "./decide-suppression";
export {
  unsafeSuppressionPass,
  SUPPRESSION_PASS_MS,
  type SuppressionPassResult,
} from "./suppression-pass";
export {
  unsafeSeedSuppressionEstate,
  type SuppressionEstate,
  type SuppressionRoom,
} from "./fixtures";
