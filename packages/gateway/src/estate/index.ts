export { applyChecks, applyEstatePlan, APPLIED_KINDS, type ApplyHooks } from "./apply";
export {
  acquireEstateLock,
  ESTATE_LOCK_TTL_MS,
  estateRevision,
  forceUnlockEstate,
  readEstateLock,
  releaseEstateLock,
} from "./lock";
export {
  approveEstatePlan,
  createEstatePlan,
  findEstatePlans,
  getEstatePlan,
  loadEstateFiles,
  validateEstate,
} from "./plans";
export { readEstateModel, type ReadModel, type ReadModelOptions } from "./read-model";
export {
  exportEstateFiles,
  readEstateDrift,
  readEstateSchema,
  readEstateStatus,
  readManagedBy,
} from "./state";
