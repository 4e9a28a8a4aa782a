export * from "./common";
export * from "./health";
export * from "./problem";
export * from "./request-meta";
export * from "./worker";
