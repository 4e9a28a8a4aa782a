import { router } from "../../trpc";
import { createRule } from "./create-rule";
import { deleteRule } from "./delete-rule";
import { getRule } from "./get-rule";
import { listRules } from "./list-rules";
import { previewDraftRule } from "./preview-draft-rule";
import { previewRule } from "./preview-rule";
import { updateRule } from "./update-rule";

export const ruleRouter = router({
  list: listRules,
  get: getRule,
  create: createRule,
  update: updateRule,
  delete: deleteRule,
  preview: previewRule,
  previewDraft: previewDraftRule,
});
