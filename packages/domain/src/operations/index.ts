export * from "./thresholds";
export * from "./process-state";
export * from "./schedule-state";
export * from "./node-schedule";
