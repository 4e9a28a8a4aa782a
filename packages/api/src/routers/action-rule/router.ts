import { router } from "../../trpc";
import { createActionRule } from "./create-action-rule";
import { listActionRules } from "./list-action-rules";

export const actionRuleRouter = router({
  list: listActionRules,
  create: createActionRule,
});
