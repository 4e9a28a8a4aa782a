export { createRule } from "./create-rule";
export { updateRule } from "./update-rule";
export { deleteRule } from "./delete-rule";
export { findRules, getRule } from "./find-rules";
export {
  previewRule,
  previewDraftRule,
  PREVIEW_MAX_OWNERS,
  PREVIEW_MAX_SAMPLES,
} from "./preview-rule";
export { unsafeSyncTemplateRules } from "./template-rules";
export { forgetRuleCache } from "./rule-cache";
export { unsafeElapseDueEpisodes, DUE_BATCH, type DuePassResult } from "./clock-due";
export { evaluateNoDataRules, type FreshnessChange } from "./clock-no-data";
