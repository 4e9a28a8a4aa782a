export { recomputeHealth } from "./recompute-health";
export { unsafeRecomputeAllHealth } from "./recompute-all";
export { getHealth, getHealthHistory } from "./read-health";
export type { HealthChange, HealthSeeds } from "./types";
export { healthSeedsOfAlarmRow, healthSeedsOfAlarms } from "./seeds";
export { unsafeDeferHealth } from "./defer";
