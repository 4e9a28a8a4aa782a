/**
 * `npm start`: the whole product on one machine. Embedded PostgreSQL and a local nats-server
 * (unless DATABASE_URL / NATS_URL point elsewhere), migrations, a build of the console, then the
 * web and worker processes. Ctrl-C stops everything it started, in order. Data stays in .data/.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  connectDatabase,
  unsafeEnsureDatabase,
  unsafeBootstrapOwner,
  unsafeDemoEnrollmentToken,
  unsafeMigrate,
  parseSecretKey,
  unsafeWireDemoTelemetry,
  type SimulatedDevice,
  unsafeSeedDemoEstate,
  unsafeSeedRegistries,
} from "@omniglass/gateway";
import { startNatsServer, type RunningNats } from "./nats";
import { startEmbeddedPostgres, type RunningPostgres } from "./postgres";
import { isProcessAlive, sleep, spawnManaged, stopOrphan, type ManagedProcess } from "./processes";
import { readRuntime, REPO_ROOT, RUNTIME_FILE, type RuntimeInfo } from "./runtime-file";

const env = process.env;
const DATA_DIR = path.join(REPO_ROOT, ".data");
const HOST = env.OMNIGLASS_HOST ?? "127.0.0.1";
const PORT = Number(env.OMNIGLASS_PORT ?? 3000);
const PG_PORT = Number(env.OMNIGLASS_PG_PORT ?? 5433);
const NATS_PORT = Number(env.OMNIGLASS_NATS_PORT ?? 4223);
const NATS_MONITOR_PORT = Number(env.OMNIGLASS_NATS_MONITOR_PORT ?? 8223);
/** The demo's simulated gear listens on loopback from this port up, one port per device. */
const SIMULATOR_BASE_PORT = Number(env.OMNIGLASS_SIMULATOR_BASE_PORT ?? 17100);
const NODE_STATE_DIR = path.join(DATA_DIR, "node");

const started = Date.now();
const say = (line: string) => console.log(`[omniglass] ${line}`);
const prefixed = (name: string) => (line: string) => {
  if (line.trim()) console.log(`[${name}] ${line}`);
};

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const previous = readRuntime();
  if (previous && previous.pid !== process.pid && isProcessAlive(previous.pid)) {
    console.error(
      `[omniglass] already running (pid ${previous.pid}) at ${previous.url}; stop it first.`,
    );
    process.exit(1);
  }
  // An earlier run killed outright leaves its web and worker running: stop them (ours only).
  for (const child of previous?.children ?? []) {
    await stopOrphan(child.pid, child.command, (line) => say(line));
  }

  let postgres: RunningPostgres | null = null;
  let nats: RunningNats | null = null;
  const children: ManagedProcess[] = [];
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    await Promise.all(children.map((child) => child.stop(15_000)));
    await nats?.stop();
    await postgres?.stop();
    rmSync(RUNTIME_FILE, { force: true });
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    let databaseUrl = env.DATABASE_URL;
    if (!databaseUrl) {
      postgres = await startEmbeddedPostgres({
        dataDir: path.join(DATA_DIR, "postgres"),
        port: PG_PORT,
        log: () => {},
      });
      databaseUrl = await unsafeEnsureDatabase(postgres.serverUrl, "omniglass");
      say(`PostgreSQL (embedded) on 127.0.0.1:${PG_PORT}, data in .data/postgres`);
    } else {
      say("PostgreSQL from DATABASE_URL");
    }

    let natsUrl = env.NATS_URL;
    if (!natsUrl) {
      nats = await startNatsServer({
        dataDir: path.join(DATA_DIR, "nats"),
        port: NATS_PORT,
        monitorPort: NATS_MONITOR_PORT,
      });
      natsUrl = nats.url;
      say(`nats-server (JetStream) on ${natsUrl}, data in .data/nats`);
    } else {
      say(`NATS from NATS_URL`);
    }

    const migration = await unsafeMigrate(databaseUrl);
    say(`migrations: ${migration.applied} applied, ${migration.total} in all`);
    const seeding = connectDatabase({
      url: databaseUrl,
      max: 1,
      applicationName: "omniglass-start",
    });
    let demo: DemoCredentials | null = null;
    // The master key of secret variables (device credentials), made once and kept in .data.
    const secretKey = env.OMNIGLASS_SECRET_KEY ?? ensureSecretKey();
    let fleet: SimulatedDevice[] = [];
    let enrollmentToken: string | null = null;
    try {
      await unsafeSeedRegistries(seeding.db);
      say("official registry rows (roles, location types) in place");
      if (postgres) {
        demo = await ensureDemoOwner(seeding.db);
        // The embedded database only, and only while it holds no location (a second start, or an
        // estate someone built by hand, is left alone).
        // A failure here (say, the owner was removed) is reported, never fatal to the start.
        await unsafeSeedDemoEstate(seeding.db, { owner: demo.username }).then(
          (estate) =>
            say(
              estate.seeded
                ? `demo estate written: ${estate.locations} locations, ${estate.systems} systems, ${estate.components} components (audited as ${demo!.username})`
                : `demo estate: skipped, the database already has ${estate.locations} locations`,
            ),
          (error: unknown) => say(`demo estate: not written: ${(error as Error).message}`),
        );
        // The demo's data plane: a node polling simulated gear. Also never fatal to the start.
        try {
          const telemetry = await unsafeWireDemoTelemetry(seeding.db, {
            owner: demo.username,
            basePort: SIMULATOR_BASE_PORT,
            secretKey: parseSecretKey(secretKey),
          });
          if (telemetry) {
            fleet = telemetry.fleet;
            if (telemetry.wired)
              say(
                `demo telemetry: node ${telemetry.node.name} polls ${fleet.length} simulated devices`,
              );
            if (!existsSync(path.join(NODE_STATE_DIR, "credential.json")))
              enrollmentToken = await unsafeDemoEnrollmentToken(seeding.db, {
                owner: demo.username,
              });
          }
        } catch (error) {
          say(`demo telemetry: not wired: ${(error as Error).message}`);
        }
      }
    } finally {
      await seeding.close();
    }

    say("building the console (cached after the first run)…");
    execFileSync(
      "pnpm",
      ["exec", "turbo", "run", "build", "--filter=@omniglass/web", "--output-logs=errors-only"],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "inherit", "inherit"],
        env: { ...env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" },
      },
    );

    const childEnv = {
      ...env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      OMNIGLASS_HOST: HOST,
      OMNIGLASS_PORT: String(PORT),
      OMNIGLASS_SECRET_KEY: secretKey,
    };
    const web = spawnManaged(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: path.join(REPO_ROOT, "apps/web"),
      env: childEnv,
      onLine: prefixed("web"),
    });
    const worker = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: path.join(REPO_ROOT, "apps/worker"),
      env: childEnv,
      onLine: prefixed("worker"),
    });
    children.push(web, worker);
    for (const [name, child] of [
      ["web", web],
      ["worker", worker],
    ] as const) {
      void child.exited.then((code) => {
        if (stopping) return;
        console.error(`[omniglass] ${name} exited (${code}); stopping the rest`);
        void stopAll(1);
      });
    }

    const shownHost = HOST.includes(":") ? `[${HOST}]` : HOST;
    const url = `http://${HOST === "0.0.0.0" || HOST === "::" ? "127.0.0.1" : shownHost}:${PORT}`;
    const runtime: RuntimeInfo = {
      pid: process.pid,
      url,
      natsUrl,
      ...(postgres ? { databaseUrl } : {}),
      startedAt: new Date().toISOString(),
      children: [
        { pid: web.child.pid ?? 0, command: "server.ts" },
        { pid: worker.child.pid ?? 0, command: "src/main.ts" },
      ],
    };
    writeFileSync(RUNTIME_FILE, JSON.stringify(runtime, null, 2), { mode: 0o600 });
    await waitForHealthy(url);

    // The demo's gear and the node polling it (enrollment goes through the web app, so after it).
    if (fleet.length > 0) {
      const simulator = spawnManaged(
        process.execPath,
        [
          "--import",
          "tsx",
          "src/main.ts",
          "--fleet-json",
          JSON.stringify(fleet),
          "--control-port",
          String(SIMULATOR_BASE_PORT - 1),
        ],
        {
          cwd: path.join(REPO_ROOT, "apps/simulator"),
          env: childEnv,
          onLine: prefixed("simulator"),
        },
      );
      const node = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: path.join(REPO_ROOT, "apps/node"),
        env: {
          ...childEnv,
          OMNIGLASS_URL: url,
          OMNIGLASS_NODE_STATE_DIR: NODE_STATE_DIR,
          ...(enrollmentToken ? { OMNIGLASS_ENROLLMENT_TOKEN: enrollmentToken } : {}),
        },
        onLine: prefixed("node"),
      });
      children.push(simulator, node);
      runtime.children?.push(
        { pid: simulator.child.pid ?? 0, command: "src/main.ts" },
        { pid: node.child.pid ?? 0, command: "src/main.ts" },
      );
      writeFileSync(RUNTIME_FILE, JSON.stringify(runtime, null, 2), { mode: 0o600 });
      // The demo carries on without them, but says so.
      for (const [name, child] of [
        ["simulator", simulator],
        ["node", node],
      ] as const)
        void child.exited.then((code) => {
          if (!stopping) say(`${name} exited (${code}); the demo's live values will go stale`);
        });
    }
    console.log("");
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`console:       ${url}`);
    say(`API reference: ${url}/api/docs`);
    say(`health:        ${url}/api/healthz`);
    if (fleet.length > 0)
      say(
        `simulator:     http://127.0.0.1:${SIMULATOR_BASE_PORT - 1}/devices   (${fleet.length} devices; POST /devices/<path>/faults {"power":"off"})`,
      );
    if (demo) {
      say(
        `sign in as:    ${demo.username} / ${demo.password}   (kept in .data/demo-credentials.json)`,
      );
    } else {
      say("sign in with an owner made by `pnpm omniglass bootstrap <username> --password-stdin`");
    }
    if (demo?.token)
      say(
        `API token:     ${demo.token}   (shown once; \`pnpm omniglass bootstrap ${demo.username}\` prints a new one)`,
      );
    say("Ctrl-C stops everything.");
  } catch (error) {
    console.error(`[omniglass] start failed: ${(error as Error).message}`);
    await stopAll(1);
  }
}

interface DemoCredentials {
  username: string;
  password: string;
  token: string | null;
}

const DEMO_FILE = path.join(DATA_DIR, "demo-credentials.json");

/**
 * The first start bootstraps an owner `admin` with a random password, kept (0600) in .data so later
 * starts can print it again; later starts change nothing. A shared or production database should
 * use `pnpm omniglass bootstrap` instead, so this runs only for the embedded database.
 */
async function ensureDemoOwner(
  db: Parameters<typeof unsafeBootstrapOwner>[0]["db"],
): Promise<DemoCredentials> {
  if (existsSync(DEMO_FILE)) {
    const saved = JSON.parse(readFileSync(DEMO_FILE, "utf8")) as {
      username: string;
      password: string;
    };
    return { ...saved, token: null };
  }
  const saved = { username: "admin", password: randomBytes(12).toString("base64url") };
  const result = await unsafeBootstrapOwner({
    db,
    meta: { requestId: randomUUID(), source: "cli", actor: null, realActor: null, ip: null },
    ...saved,
  });
  writeFileSync(DEMO_FILE, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return { ...saved, token: result.token };
}

async function waitForHealthy(url: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/api/healthz`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error(`the console did not report healthy at ${url}/api/healthz within 60 s`);
}

void main();

/**
 * The local install's master key for secret variables: 32 random bytes, base64, generated on the
 * first start into .data/secret.key (0600) and reused after, so stored secrets stay readable.
 */
function ensureSecretKey(): string {
  const file = path.join(DATA_DIR, "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
