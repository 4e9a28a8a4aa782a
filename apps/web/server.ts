/**
 * The web process: Next.js (console + API routes) behind a plain Node HTTP server that enforces the
 * access model before any route runs (DESIGN.md §5): loopback by default, a non-loopback bind only
 * with OMNIGLASS_TRUSTED_NETWORKS, and peers outside those networks refused with 403.
 */
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { bindRefusal, readEnv } from "./src/env";
import { refuseUntrustedPeer } from "./src/server/access";
import { PEER_HEADER } from "./src/server/request";
import { defaultHeadersFor } from "./src/server/security-headers";

async function main() {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    console.error(`omniglass-web: ${(error as Error).message}`);
    process.exit(78);
  }
  const refusal = bindRefusal(env);
  if (refusal) {
    console.error(`omniglass-web: ${refusal}`);
    process.exit(78);
  }

  const dir = path.dirname(fileURLToPath(import.meta.url));
  const app = next({ dev: false, dir, hostname: env.host, port: env.port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const server = createServer((req, res) => {
    const peer = req.socket.remoteAddress;
    const refusal = refuseUntrustedPeer(peer, env.trustedNetworks);
    if (refusal) {
      res.writeHead(refusal.status, refusal.headers);
      res.end(refusal.body);
      return;
    }
    req.headers[PEER_HEADER] = peer;
    const pathname = (req.url ?? "/").split("?")[0]!;
    for (const [name, value] of Object.entries(defaultHeadersFor(pathname))) {
      res.setHeader(name, value);
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;

  const stop = (signal: string) => {
    console.log(`omniglass-web: ${signal}, closing`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));

  server.listen(env.port, env.host, () => {
    const shown = env.host.includes(":") ? `[${env.host}]` : env.host;
    console.log(`omniglass-web: listening on http://${shown}:${env.port}`);
  });
}

void main();
