export * from "./access";
export * from "./common";
export * from "./health";
export * from "./location";
export * from "./principal";
export * from "./problem";
export * from "./request-meta";
export * from "./worker";
