import { router } from "../../trpc";
import { pushSamples } from "./push-samples";

export const sampleRouter = router({
  push: pushSamples,
});
