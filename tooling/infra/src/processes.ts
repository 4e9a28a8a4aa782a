import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await sleep(50);
  }
  return !isProcessAlive(pid);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A free TCP port on loopback, as the kernel hands one out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Throws a clear error when something else already listens on `port`. */
export async function ensurePortFree(port: number, what: string): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new Error(
      `port ${port} for ${what} is already in use: stop what holds it, or choose another port`,
    );
  }
}

/**
 * Stops a server left running by an earlier run that was killed before it could stop it: the pid
 * file names it, and it is ours only when its command line names `expect`. SIGINT first (a fast,
 * clean shutdown for PostgreSQL and nats-server), SIGKILL after 15 s.
 */
export async function stopOrphanFromPidFile(
  pidFile: string,
  expect: string,
  log: (line: string) => void,
): Promise<void> {
  const text = await readFile(pidFile, "utf8").catch(() => null);
  await stopOrphan(Number(text?.split("\n")[0]?.trim()), expect, log);
}

/** Stops process `pid` if it is alive and its command line names `expect` (so never a stranger). */
export async function stopOrphan(
  pid: number,
  expect: string,
  log: (line: string) => void,
): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isProcessAlive(pid)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (!command.includes(expect)) return;
  log(`stopping an orphan ${expect} (pid ${pid}) left by an earlier run`);
  process.kill(pid, "SIGINT");
  if (!(await waitForExit(pid, 15_000))) process.kill(pid, "SIGKILL");
}

export interface ManagedProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** `signal` (SIGTERM by default) to the whole process group, SIGKILL after `graceMs`. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Spawns a child in its own process group, so stopping it also stops what it started, and a
 * terminal's Ctrl-C reaches it only through us (we stop children in order).
 */
export function spawnManaged(
  command: string,
  args: string[],
  options: SpawnOptions & { onLine?: (line: string) => void },
): ManagedProcess {
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const onLine = options.onLine;
  if (onLine) {
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = "";
      stream?.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) onLine(line);
      });
    }
  }
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.on("error", () => resolve("spawn-error"));
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    child,
    exited,
    stop: async (graceMs = 10_000, signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      signalGroup(signal);
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
