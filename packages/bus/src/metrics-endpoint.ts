import { createServer, type Server } from "node:http";

/** What a Prometheus registry (prom-client) offers for scraping. */
export interface ScrapeableRegistry {
  contentType: string;
  metrics(): Promise<string>;
}

/**
 * A process's own metrics as Prometheus text on `http://<host>:<port>/metrics` (loopback by
 * default): the worker's and the node's endpoint. A busy port is reported through `onError` and
 * the process carries on without it.
 */
export function serveMetrics(
  registry: ScrapeableRegistry,
  {
    port,
    host = "127.0.0.1",
    onError,
  }: { port: number; host?: string; onError(error: Error): void },
): Server {
  const server = createServer((req, res) => {
    if (req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
        res.end(text);
      },
      (error: Error) => {
        res.writeHead(500).end();
        onError(error);
      },
    );
  });
  server.on("error", onError);
  server.listen(port, host);
  server.unref();
  return server;
}
