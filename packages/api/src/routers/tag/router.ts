import { router } from "../../trpc";
import { deleteTag } from "./delete-tag";
import { explainTags } from "./explain-tags";
import { listTags } from "./list-tags";
import { setTag } from "./set-tag";

export const tagRouter = router({
  list: listTags,
  set: setTag,
  delete: deleteTag,
  explain: explainTags,
});
