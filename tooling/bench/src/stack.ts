/**
 * What the benches share: a throwaway embedded PostgreSQL and nats-server, CPU accounting of a
 * process tree, percentiles and the machine's load.
 */
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { loadavg, cpus, tmpdir } from "node:os";
import path from "node:path";
import { connectBus, type BusConnection } from "@omniglass/bus";
import {
  connectDatabase,
  unsafeEnsureCurrentPartitions,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedRegistries,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { freePort, startEmbeddedPostgres, startNatsServer } from "@omniglass/infra";

export const say = (line: string) => console.log(`[bench] ${line}`);
export const fmt = (n: number) => Math.round(n).toLocaleString("en");
export const ms = (n: number) => `${n.toFixed(1)} ms`;

/** The machine's load averages and cores, to print beside figures measured on it. */
export function machineLoad(): string {
  const [one, five] = loadavg();
  return `load ${one!.toFixed(2)} (1 min) ${five!.toFixed(2)} (5 min) on ${cpus().length} cores`;
}

const TICKS_PER_MS = 100 / 1000; // USER_HZ on Linux

/** CPU ms (user + system) of a process tree: the process, its live children and reaped ones. */
export async function treeCpuMs(rootPid: number): Promise<number> {
  const stat = async (pid: number) => {
    try {
      const text = await readFile(`/proc/${pid}/stat`, "utf8");
      const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
      // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
      return {
        ppid: Number(f[1]),
        own: Number(f[11]) + Number(f[12]),
        reaped: Number(f[13]) + Number(f[14]),
      };
    } catch {
      return null;
    }
  };
  const root = await stat(rootPid);
  if (!root) return 0;
  let ticks = root.own + root.reaped;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = await stat(Number(name));
    if (s && s.ppid === rootPid) ticks += s.own;
  }
  return ticks / TICKS_PER_MS;
}

async function pidFromFile(file: string): Promise<number> {
  try {
    return Number((await readFile(file, "utf8")).split("\n")[0]!.trim());
  } catch {
    return 0;
  }
}

/** The port opens before PostgreSQL accepts sessions ("the database system is starting up"). */
export async function untilReady<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries > 50 || !/starting up/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The value at quantile `q` of sorted numbers. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export interface BenchStack {
  dir: string;
  url: string;
  natsUrl: string;
  database: DatabaseHandle;
  bus: BusConnection;
  pgPid: number;
  natsPid: number;
  close(): Promise<void>;
}

/** A migrated, seeded database on its own PostgreSQL, and a nats-server; `close` removes both. */
export async function startBenchStack(name: string, poolSize = 5): Promise<BenchStack> {
  const dir = await mkdtemp(path.join(tmpdir(), `omniglass-bench-${name}-`));
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dir, "postgres"),
    port: await freePort(),
  });
  const nats = await startNatsServer({
    dataDir: path.join(dir, "nats"),
    port: await freePort(),
    monitorPort: await freePort(),
  });
  const bus = connectBus({ servers: nats.url, name: `bench-${name}` });
  let database: DatabaseHandle | null = null;
  const close = async () => {
    await bus.close();
    await database?.close();
    await nats.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = await untilReady(() => unsafeEnsureDatabase(postgres.serverUrl, "bench"));
    await unsafeMigrate(url);
    database = connectDatabase({ url, max: poolSize, applicationName: `bench-${name}` });
    await unsafeSeedRegistries(database.db);
    await unsafeEnsureCurrentPartitions(database.db);
    return {
      dir,
      url,
      natsUrl: nats.url,
      database,
      bus,
      pgPid: await pidFromFile(path.join(dir, "postgres", "postmaster.pid")),
      natsPid: await pidFromFile(path.join(dir, "nats", "nats-server.pid")),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** p50/p95/p99 of `iterations` sequential runs, after up to ten warm-up runs. */
export async function timed(iterations: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(10, iterations); i++) await run(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await run(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), p99: quantile(times, 0.99) };
}
