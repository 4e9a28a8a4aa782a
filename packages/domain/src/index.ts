export * from "./access";
export * from "./cursor";
export * from "./errors";
export * from "./network";
export * from "./throttle";
export * from "./dependency-monitor";
export * from "./worker-state";
export * from "./template";
