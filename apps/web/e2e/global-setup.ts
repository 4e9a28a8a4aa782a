import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import {
  connectDatabase,
  newSecretKeyBase64,
  unsafeBootstrapOwner,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedRegistries,
} from "@omniglass/gateway";
import {
  freePort,
  isProcessAlive,
  sleep,
  spawnManaged,
  startEmbeddedPostgres,
  startNatsServer,
  waitForExit,
} from "@omniglass/infra";
import { readStack, writeStack } from "./stack";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKER_DIR = path.resolve(WEB_DIR, "../worker");

/**
 * Real infrastructure on free ports in a temporary directory: embedded PostgreSQL (or the server of
 * DATABASE_URL), nats-server, then the built web server and one worker, as `npm start` runs them.
 * Returns the teardown. A spec may restart nats-server; the stack file names the one to stop.
 */
export default async function globalSetup() {
  const dir = await mkdtemp(path.join(tmpdir(), "omniglass-e2e-"));
  process.env.OMNIGLASS_E2E_STACK = path.join(dir, "stack.json");
  const tail: string[] = [];
  const keep = (name: string) => (line: string) => {
    tail.push(`[${name}] ${line}`);
    if (tail.length > 60) tail.shift();
  };

  const external = process.env.DATABASE_URL;
  const postgres = external
    ? null
    : await startEmbeddedPostgres({ dataDir: path.join(dir, "postgres"), port: await freePort() });
  const databaseUrl = await unsafeEnsureDatabase(
    external ?? postgres!.serverUrl,
    `og_e2e_${process.pid}`,
  );
  await unsafeMigrate(databaseUrl);
  const credentials = { username: "e2e-owner", password: randomBytes(12).toString("base64url") };
  let owner: { username: string; password: string; token: string };
  const setupDb = connectDatabase({ url: databaseUrl, max: 1 });
  try {
    await unsafeSeedRegistries(setupDb.db);
    const boot = await unsafeBootstrapOwner({
      db: setupDb.db,
      meta: { requestId: "e2e-setup", source: "cli", actor: null, realActor: null, ip: null },
      ...credentials,
    });
    owner = { ...credentials, token: boot.token };
  } finally {
    await setupDb.close();
  }

  const natsPort = await freePort();
  const natsMonitorPort = await freePort();
  const natsDir = path.join(dir, "nats");
  const nats = await startNatsServer({
    dataDir: natsDir,
    port: natsPort,
    monitorPort: natsMonitorPort,
  });

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: databaseUrl,
    NATS_URL: nats.url,
    OMNIGLASS_HOST: "127.0.0.1",
    OMNIGLASS_PORT: String(port),
    OMNIGLASS_WORKER_HEARTBEAT_MS: "1000",
    // Webhooks (issue #14): endpoints seal their secret under it (web) and the worker opens it to
    // sign; a spec's receiver listens on loopback.
    OMNIGLASS_SECRET_KEY: newSecretKeyBase64(),
    OMNIGLASS_WEBHOOK_ALLOW_LOOPBACK: "true",
  };
  const web = spawnManaged(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: WEB_DIR,
    env,
    onLine: keep("web"),
  });
  const worker = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: WORKER_DIR,
    env,
    onLine: keep("worker"),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  writeStack({
    baseUrl,
    postgresServerUrl: external ?? postgres!.serverUrl,
    owner,
    webPid: web.child.pid ?? 0,
    workerPid: worker.child.pid ?? 0,
    nats: {
      pid: nats.process.child.pid ?? 0,
      port: natsPort,
      monitorPort: natsMonitorPort,
      dataDir: natsDir,
    },
  });

  const teardown = async () => {
    await Promise.all([web.stop(10_000), worker.stop(10_000)]);
    const { pid } = readStack().nats;
    if (isProcessAlive(pid)) {
      process.kill(pid, "SIGTERM");
      await waitForExit(pid, 10_000);
    }
    await postgres?.stop();
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const healthy = await fetch(`${baseUrl}/api/healthz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (healthy) return teardown;
    if (web.child.exitCode !== null || worker.child.exitCode !== null || Date.now() > deadline) {
      await teardown().catch(() => {});
      throw new Error(`the stack did not become healthy within 60 s:\n${tail.join("\n")}`);
    }
    await sleep(200);
  }
}
