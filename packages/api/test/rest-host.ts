/**
 * A bare web replica for tests: the REST API over HTTP on a loopback port, against the database
 * named on the command line, with nothing shared in memory with any other process.
 * Usage: tsx rest-host.ts <database url>; prints `listening <port>` when ready.
 */
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { connectDatabase } from "@omniglass/gateway";
import { createApiDependencies, createContext } from "../src/context";
import { handleRestRequest } from "../src/rest";

const url = process.argv[2];
if (!url) throw new Error("usage: rest-host.ts <database url>");
const handle = connectDatabase({ url });
const deps = createApiDependencies({
  version: "test",
  db: handle.db,
  probeBus: async () => ({ status: "up", latencyMs: 0, error: null }),
});

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    void (async () => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(key, value);
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const request = new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        body,
      });
      const ip = headers.get("x-test-client-ip") ?? "127.0.0.1";
      const response = await handleRestRequest(
        request,
        createContext({ deps, requestId: randomUUID(), source: "rest", ip, headers }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
const stop = () => server.close(() => void handle.close().then(() => process.exit(0)));
process.once("SIGTERM", stop);
