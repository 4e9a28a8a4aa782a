import { router } from "../../trpc";
import { deleteVariable } from "./delete-variable";
import { explainVariables } from "./explain-variables";
import { listVariables } from "./list-variables";
import { setVariable } from "./set-variable";

export const variableRouter = router({
  list: listVariables,
  set: setVariable,
  delete: deleteVariable,
  explain: explainVariables,
});
