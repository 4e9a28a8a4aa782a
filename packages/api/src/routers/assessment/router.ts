import { router } from "../../trpc";
import { getAssessment } from "./get-assessment";

export const assessmentRouter = router({
  get: getAssessment,
});
