import { router } from "../../trpc";
import { createSignal } from "./create-signal";
import { deleteSignal } from "./delete-signal";
import { getSignal } from "./get-signal";
import { listSignals } from "./list-signals";

export const signalRouter = router({
  list: listSignals,
  get: getSignal,
  create: createSignal,
  delete: deleteSignal,
});
