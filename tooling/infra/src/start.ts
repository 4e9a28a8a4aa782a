/**
 * `npm start`: the whole product on one machine. Embedded PostgreSQL (fsync on) and a local
 * nats-server (unless DATABASE_URL / NATS_URL point elsewhere), migrations, a build of the
 * console, then the web and worker processes and the demo's simulator and node — every one of
 * them supervised: a crashed child is restarted with backoff (tooling/infra/src/supervisor.ts),
 * and its restarts and last exit reason go to .data/supervisor.json for the platform page.
 * Ctrl-C stops everything it started, in order. Data stays in .data/.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  connectDatabase,
  unsafeEnsureDatabase,
  unsafeMigrate,
  type SimulatedDevice,
  unsafeRecomputeAllHealth,
  unsafeSeedRegistries,
} from "@omniglass/gateway";
import { createLinePrettifier, createLogger, describeError } from "@omniglass/log";
import { startNatsServer } from "./nats";
import { startEmbeddedPostgres } from "./postgres";
import { isProcessAlive, sleep, spawnManaged, stopOrphan } from "./processes";
import { readRuntime, REPO_ROOT, RUNTIME_FILE, type RuntimeInfo } from "./runtime-file";
import { seedDemo } from "./demo-seed";
import { ensureDemoOwner, ensureSecretKey, type DemoCredentials } from "./first-start";
import { Supervisor, sumMetrics } from "./supervisor";

const env = process.env;
/** `.data/` by default; the supervisor's acceptance test points it at a throwaway directory. */
const DATA_DIR = env.OMNIGLASS_DATA_DIR
  ? path.resolve(env.OMNIGLASS_DATA_DIR)
  : path.join(REPO_ROOT, ".data");
const RUNTIME = env.OMNIGLASS_DATA_DIR ? path.join(DATA_DIR, "runtime.json") : RUNTIME_FILE;
const STATUS_FILE = path.join(DATA_DIR, "supervisor.json");
const HOST = env.OMNIGLASS_HOST ?? "127.0.0.1";
const PORT = Number(env.OMNIGLASS_PORT ?? 3000);
const PG_PORT = Number(env.OMNIGLASS_PG_PORT ?? 5433);
const NATS_PORT = Number(env.OMNIGLASS_NATS_PORT ?? 4223);
const NATS_MONITOR_PORT = Number(env.OMNIGLASS_NATS_MONITOR_PORT ?? 8223);
const WORKER_METRICS_PORT = Number(env.OMNIGLASS_WORKER_METRICS_PORT ?? 9464);
const NODE_METRICS_PORT = Number(env.OMNIGLASS_NODE_METRICS_PORT ?? 9465);
/** The demo's simulated gear listens on loopback from this port up, one port per device. */
const SIMULATOR_BASE_PORT = Number(env.OMNIGLASS_SIMULATOR_BASE_PORT ?? 17100);
/** Reuse the console build in apps/web/.next as it is (tests; a read-only checkout). */
const SKIP_BUILD = env.OMNIGLASS_SKIP_BUILD === "1";
const NODE_STATE_DIR = path.join(DATA_DIR, "node");
/** A terminal gets readable lines (and the demo's credentials); anything else gets JSON lines. */
const IS_TERMINAL = process.stdout.isTTY === true;

/** The figures of each child's /metrics that the status file (and the platform page) carries. */
const FIGURES = [
  "omniglass_worker_samples_written_total",
  "omniglass_worker_samples_rejected_total",
  "omniglass_worker_batches_dropped_total",
  "omniglass_worker_consumer_pending",
  "omniglass_worker_consumer_ack_pending",
  "omniglass_worker_consumer_redelivered",
  "omniglass_worker_stale_transitions_total",
  "omniglass_worker_clock_lag_seconds",
  "omniglass_worker_batch_write_seconds_sum",
  "omniglass_worker_batch_write_seconds_count",
  "omniglass_node_polls_total",
  "omniglass_node_poll_failures_total",
  "omniglass_node_samples_taken_total",
  "omniglass_node_published_total",
  "omniglass_node_buffered_samples",
  "omniglass_node_buffered_batches",
] as const;

const started = Date.now();
const log = createLogger({ process: "start", pretty: IS_TERMINAL });
const say = (line: string) => log.info(line);
const prettify = IS_TERMINAL ? createLinePrettifier() : null;
/** A child's output: its JSON log lines as they are (pretty in a terminal); other text wrapped in one. */
const childOutput = (name: string) => {
  const wrap = createLogger({ process: name, pretty: IS_TERMINAL });
  return (line: string) => {
    if (!line.trim()) return;
    if (line.startsWith("{")) {
      process.stdout.write(`${prettify ? prettify(line) : line}\n`);
      return;
    }
    wrap.info(line);
  };
};

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const previous = readRuntime(RUNTIME);
  if (previous && previous.pid !== process.pid && isProcessAlive(previous.pid)) {
    log.error(`already running (pid ${previous.pid}) at ${previous.url}; stop it first.`);
    process.exit(1);
  }
  // An earlier run killed outright leaves its children running: stop them (ours only). PostgreSQL
  // and nats-server are found through their pid files when they start.
  for (const child of previous?.children ?? []) {
    await stopOrphan(child.pid, child.command, (line) => say(line));
  }

  let stopping = false;
  let runtime: RuntimeInfo | null = null;
  const supervisor = new Supervisor({
    log,
    statusFile: STATUS_FILE,
    onGiveUp: (_name, reason) => {
      log.error(`giving up: ${reason}; stopping the rest`);
      void stopAll(1);
    },
    onStarted: () => writeRuntime(),
  });
  const writeRuntime = () => {
    if (!runtime) return;
    runtime.children = supervisor
      .running()
      .filter(({ name }) => name !== "postgres" && name !== "nats-server")
      .map(({ name, process: child }) => ({
        pid: child.child.pid ?? 0,
        command: name === "web" ? "server.ts" : "src/main.ts",
      }));
    writeFileSync(RUNTIME, JSON.stringify(runtime, null, 2), { mode: 0o600 });
  };

  // The supervisor reads a few figures of each child's /metrics for the platform page.
  const scraping = setInterval(() => {
    for (const entry of supervisor.status().processes) {
      if (!entry.metricsUrl || entry.state !== "running") continue;
      void fetch(entry.metricsUrl, { signal: AbortSignal.timeout(1_000) })
        .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
        .then(
          (text) => supervisor.setFigures(entry.name, sumMetrics(text, FIGURES)),
          () => supervisor.setFigures(entry.name, null),
        );
    }
  }, 5_000);
  scraping.unref();

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say("stopping…");
    clearInterval(scraping);
    // The data plane first, then what serves it, then what stores it.
    await supervisor.stopAll([
      ["node", "simulator"],
      ["web", "worker"],
      ["nats-server"],
      ["postgres"],
    ]);
    rmSync(RUNTIME, { force: true });
    say("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    let databaseUrl = env.DATABASE_URL;
    const embeddedPostgres = !databaseUrl;
    if (!databaseUrl) {
      const pgLog = childOutput("postgres");
      let serverUrl = "";
      await supervisor.add({
        name: "postgres",
        essential: true,
        start: async () => {
          const postgres = await startEmbeddedPostgres({
            dataDir: path.join(DATA_DIR, "postgres"),
            port: PG_PORT,
            // Its own lines, terse (no statements, no DETAIL values); only what an operator needs.
            log: (line) => {
              if (/FATAL|PANIC|database system was|crash|recover/i.test(line)) pgLog(line);
            },
          });
          serverUrl = postgres.serverUrl;
          return postgres.process;
        },
      });
      databaseUrl = await unsafeEnsureDatabase(serverUrl, "omniglass");
      say(
        `PostgreSQL (embedded, fsync on) on 127.0.0.1:${PG_PORT}, data in ${path.relative(REPO_ROOT, DATA_DIR) || "."}/postgres`,
      );
    } else {
      say("PostgreSQL from DATABASE_URL");
    }

    let natsUrl = env.NATS_URL;
    if (!natsUrl) {
      const natsLog = childOutput("nats-server");
      await supervisor.add({
        name: "nats-server",
        essential: true,
        start: async () =>
          (
            await startNatsServer({
              dataDir: path.join(DATA_DIR, "nats"),
              port: NATS_PORT,
              monitorPort: NATS_MONITOR_PORT,
              log: (line) => {
                if (/\[(ERR|FTL|WRN)\]/.test(line)) natsLog(line);
              },
            })
          ).process,
      });
      natsUrl = `nats://127.0.0.1:${NATS_PORT}`;
      say(
        `nats-server (JetStream) on ${natsUrl}, data in ${path.relative(REPO_ROOT, DATA_DIR) || "."}/nats`,
      );
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
    const secretKey = env.OMNIGLASS_SECRET_KEY ?? ensureSecretKey(DATA_DIR);
    let fleet: SimulatedDevice[] = [];
    let enrollmentToken: string | null = null;
    try {
      await unsafeSeedRegistries(seeding.db);
      say("official registry rows (roles, location types) in place");
      if (embeddedPostgres) {
        demo = await ensureDemoOwner(seeding.db, DATA_DIR);
        ({ fleet, enrollmentToken } = await seedDemo(seeding.db, {
          owner: demo.username,
          basePort: SIMULATOR_BASE_PORT,
          secretKey,
          nodeStateDir: NODE_STATE_DIR,
          say,
        }));
      }
      // Every component, system and location has a verdict from the first page on (an install
      // older than health, or rows a seed wrote directly); idempotent, never fatal.
      await unsafeRecomputeAllHealth(seeding.db).then(
        ({ changed }) => say(`estate health: judged (${changed} verdicts changed)`),
        (error: unknown) => say(`estate health: not judged: ${describeError(error)}`),
      );
    } finally {
      await seeding.close();
    }

    if (SKIP_BUILD) {
      say("console build: reusing apps/web/.next (OMNIGLASS_SKIP_BUILD=1)");
    } else {
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
    }

    const childEnv = {
      ...env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      OMNIGLASS_HOST: HOST,
      OMNIGLASS_PORT: String(PORT),
      OMNIGLASS_SECRET_KEY: secretKey,
      OMNIGLASS_SUPERVISOR_STATUS_FILE: STATUS_FILE,
      OMNIGLASS_WORKER_METRICS_PORT: String(WORKER_METRICS_PORT),
      OMNIGLASS_NODE_METRICS_PORT: String(NODE_METRICS_PORT),
    };
    const app = (name: string, dir: string, args: string[], extraEnv = {}) => ({
      name,
      start: async () =>
        spawnManaged(process.execPath, ["--import", "tsx", ...args], {
          cwd: path.join(REPO_ROOT, dir),
          env: { ...childEnv, ...extraEnv },
          onLine: childOutput(name),
        }),
    });
    const shownHost = HOST.includes(":") ? `[${HOST}]` : HOST;
    const url = `http://${HOST === "0.0.0.0" || HOST === "::" ? "127.0.0.1" : shownHost}:${PORT}`;
    runtime = {
      pid: process.pid,
      url,
      natsUrl,
      ...(embeddedPostgres ? { databaseUrl } : {}),
      startedAt: new Date().toISOString(),
      children: [],
    };
    await supervisor.add({ ...app("web", "apps/web", ["server.ts"]), essential: true });
    await supervisor.add({
      ...app("worker", "apps/worker", ["src/main.ts"]),
      essential: true,
      ...(WORKER_METRICS_PORT > 0
        ? { metricsUrl: `http://127.0.0.1:${WORKER_METRICS_PORT}/metrics` }
        : {}),
    });
    await waitForHealthy(url);

    // The demo's gear and the node polling it (enrollment goes through the web app, so after it).
    // The product carries on without them when they keep crashing, but says so.
    if (fleet.length > 0) {
      await supervisor.add({
        ...app("simulator", "apps/simulator", [
          "src/main.ts",
          "--fleet-json",
          JSON.stringify(fleet),
          "--control-port",
          String(SIMULATOR_BASE_PORT - 1),
        ]),
        essential: false,
      });
      await supervisor.add({
        ...app("node", "apps/node", ["src/main.ts"], {
          OMNIGLASS_URL: url,
          OMNIGLASS_NODE_STATE_DIR: NODE_STATE_DIR,
          ...(enrollmentToken ? { OMNIGLASS_ENROLLMENT_TOKEN: enrollmentToken } : {}),
        }),
        essential: false,
        ...(NODE_METRICS_PORT > 0
          ? { metricsUrl: `http://127.0.0.1:${NODE_METRICS_PORT}/metrics` }
          : {}),
      });
    }
    const dataShown = path.relative(REPO_ROOT, DATA_DIR) || ".";
    say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    say(`console:       ${url}`);
    say(`API reference: ${url}/api/docs`);
    say(`health:        ${url}/api/healthz   (liveness /api/livez, readiness /api/readyz)`);
    say(
      `metrics:       ${url}/api/metrics, worker ${WORKER_METRICS_PORT > 0 ? `http://127.0.0.1:${WORKER_METRICS_PORT}/metrics` : "off"}, node ${NODE_METRICS_PORT > 0 ? `http://127.0.0.1:${NODE_METRICS_PORT}/metrics` : "off"}`,
    );
    if (fleet.length > 0)
      say(
        `simulator:     http://127.0.0.1:${SIMULATOR_BASE_PORT - 1}/devices   (${fleet.length} devices; POST /devices/<path>/faults {"power":"off"})`,
      );
    // Credentials go to a terminal only, never into a captured log.
    if (demo && IS_TERMINAL) {
      say(
        `sign in as:    ${demo.username} / ${demo.password}   (kept in ${dataShown}/demo-credentials.json)`,
      );
    } else if (demo) {
      say(`sign in as:    ${demo.username}   (password in ${dataShown}/demo-credentials.json)`);
    } else {
      say("sign in with an owner made by `pnpm omniglass bootstrap <username> --password-stdin`");
    }
    if (demo?.token && IS_TERMINAL)
      say(
        `API token:     ${demo.token}   (shown once; \`pnpm omniglass bootstrap ${demo.username}\` prints a new one)`,
      );
    say("a crashed process is restarted; Ctrl-C stops everything.");
  } catch (error) {
    log.error({ err: error }, `start failed: ${describeError(error)}`);
    await stopAll(1);
  }
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
