import { router } from "../../trpc";
import { createSilence } from "./create-silence";
import { expireSilence } from "./expire-silence";
import { getSilence } from "./get-silence";
import { listSilences } from "./list-silences";
import { updateSilence } from "./update-silence";

export const silenceRouter = router({
  list: listSilences,
  get: getSilence,
  create: createSilence,
  update: updateSilence,
  expire: expireSilence,
});
