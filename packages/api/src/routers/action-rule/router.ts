import { router } from "../../trpc";
import { createActionRule } from "./create-action-rule";
import { deleteActionRule } from "./delete-action-rule";
import { getActionRule } from "./get-action-rule";
import { listActionRules } from "./list-action-rules";
import { updateActionRule } from "./update-action-rule";

export const actionRuleRouter = router({
  list: listActionRules,
  get: getActionRule,
  create: createActionRule,
  update: updateActionRule,
  delete: deleteActionRule,
});
