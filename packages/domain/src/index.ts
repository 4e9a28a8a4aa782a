export * from "./access";
export * from "./cursor";
export * from "./errors";
export * from "./network";
export * from "./dependency-monitor";
export * from "./worker-state";
