export * from "./authorize";
export * from "./conflicts";
export * from "./mutate";
export * from "./refs";
export * from "./versions";
export * from "./readable";
export * from "./relocate";
