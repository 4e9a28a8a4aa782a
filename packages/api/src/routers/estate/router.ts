import { router } from "../../trpc";
import {
  applyPlan,
  approvePlan,
  createPlan,
  getPlan,
  listPlans,
  validateEstateFiles,
} from "./plans";
import {
  estateDrift,
  estateExport,
  estateLock,
  estateManaged,
  estateSchema,
  estateStatus,
  forceUnlock,
} from "./state";

export const estateRouter = router({
  validate: validateEstateFiles,
  plan: createPlan,
  plans: listPlans,
  getPlan,
  approve: approvePlan,
  applyPlan,
  status: estateStatus,
  drift: estateDrift,
  export: estateExport,
  managed: estateManaged,
  lock: estateLock,
  forceUnlock,
  schema: estateSchema,
});
