export * from "./address";
export * from "./diagnostics";
export * from "./load";
export * from "./model";
export * from "./references";
export * from "./schema";
