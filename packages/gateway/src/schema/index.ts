export * from "./access";
export * from "./audit-log";
export * from "./location";
export * from "./principal";
export * from "./worker";
export * from "./idempotency";
export * from "./system";
