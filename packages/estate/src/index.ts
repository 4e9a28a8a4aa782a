export * from "./address";
export * from "./diagnostics";
export * from "./model";
export * from "./references";
export * from "./schema";
