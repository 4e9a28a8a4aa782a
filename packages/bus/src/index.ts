export * from "./connect";
export * from "./consume";
export * from "./publish";
export * from "./subjects";
export * from "./topology";
export { serveMetrics, type ScrapeableRegistry } from "./metrics-endpoint";
