/**
 * The web process: Next.js (console + API routes) behind a plain Node HTTP server that enforces the
 * access model before any route runs (DESIGN.md §5): loopback by default, a non-loopback bind only
 * with OMNIGLASS_TRUSTED_NETWORKS, and peers outside those networks refused with 403.
 *
 * It also answers the orchestrator's probes itself — `/api/livez` (200 while the process runs)
 * and `/api/readyz` (200 only when PostgreSQL and NATS answer, 503 while draining) — gives every
 * request a request id (the caller's `x-request-id` when well-formed) and logs with it, and on
 * SIGTERM drains: readiness goes 503, no new connection is accepted, requests in flight finish
 * (live streams are closed so their browsers reconnect elsewhere), then it exits.
 */
import { randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { createLogger } from "@omniglass/log";
import { bindRefusal, readEnv } from "./src/env";
import { refuseUntrustedPeer } from "./src/server/access";
import { PEER_HEADER } from "./src/server/request";
import { defaultHeadersFor } from "./src/server/security-headers";

const log = createLogger({ process: "web", pretty: process.stdout.isTTY === true });
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const PROBES = new Set(["/api/healthz", "/api/readyz", "/api/livez"]);
/** How long a drain waits for requests in flight before closing what is left. */
const DRAIN_MS = 10_000;

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** A configuration the server will not run with: a log line, and the reason in words on stderr. */
function refuse(reason: string): never {
  log.fatal(reason);
  process.stderr.write(`omniglass-web: ${reason}\n`);
  process.exit(78);
}

async function main() {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    refuse((error as Error).message);
  }
  const refusal = bindRefusal(env);
  if (refusal) refuse(refusal);
  let draining = false;
  /** Sockets of live streams (SSE): they never finish on their own, so a drain closes them. */
  const liveSockets = new Set<Socket>();

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
    if (pathname === "/api/livez") return json(res, 200, { status: "live" });
    // Readiness is health, except while draining; the route runs in Next.js with the runtime.
    if (pathname === "/api/readyz") {
      if (draining) return json(res, 503, { status: "draining" });
      req.url = "/api/healthz";
    }
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    if (pathname.startsWith("/api/live/")) {
      liveSockets.add(req.socket);
      req.socket.once("close", () => liveSockets.delete(req.socket));
    }
    const began = performance.now();
    res.once("finish", () => {
      const fields = {
        requestId,
        method: req.method,
        path: pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - began),
      };
      // A probe answering 503 is the probe working (the outage is logged where it happens).
      if (res.statusCode >= 500 && !PROBES.has(pathname)) log.warn(fields, "request failed");
      else log.debug(fields, "request");
    });
    for (const [name, value] of Object.entries(defaultHeadersFor(pathname))) {
      res.setHeader(name, value);
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;

  const stop = (signal: string) => {
    if (draining) return;
    draining = true;
    log.info({ signal }, "draining: no new connections; finishing requests in flight");
    server.close(() => {
      log.info("drained; closing");
      process.exit(0);
    });
    server.closeIdleConnections();
    for (const socket of liveSockets) socket.destroy();
    // Keep-alive connections that go idle after their last response are closed too.
    const idle = setInterval(() => server.closeIdleConnections(), 250);
    idle.unref();
    setTimeout(() => {
      log.warn(`requests still open after ${DRAIN_MS / 1000} s; closing them`);
      server.closeAllConnections();
      process.exit(0);
    }, DRAIN_MS).unref();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));

  server.listen(env.port, env.host, () => {
    const shown = env.host.includes(":") ? `[${env.host}]` : env.host;
    log.info(`listening on http://${shown}:${env.port}`);
  });
}

void main();
