export * from "./counter-rate";
export * from "./episode";
export * from "./expression";
export * from "./health";
export * from "./system-expression";
