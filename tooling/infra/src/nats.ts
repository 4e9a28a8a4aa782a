import { mkdir } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import path from "node:path";
import {
  ensurePortFree,
  sleep,
  spawnManaged,
  stopOrphanFromPidFile,
  type ManagedProcess,
} from "./processes";

export interface RunningNats {
  url: string;
  monitorUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export function findNatsServer(): string | null {
  try {
    return (
      execFileSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).trim() || null
    );
  } catch {
    return null;
  }
}

/** Starts a real nats-server with JetStream on loopback, storing under `dataDir`, and waits for readiness. */
export async function startNatsServer({
  dataDir,
  port,
  monitorPort,
  log = () => {},
}: {
  dataDir: string;
  port: number;
  monitorPort: number;
  log?: (line: string) => void;
}): Promise<RunningNats> {
  const binary = findNatsServer();
  if (!binary) {
    throw new Error(
      "nats-server is not installed: install Debian's package `nats-server` (apt-get install nats-server)",
    );
  }
  await mkdir(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, "nats-server.pid");
  await stopOrphanFromPidFile(pidFile, "nats-server", log);
  await ensurePortFree(port, "nats-server");
  await ensurePortFree(monitorPort, "the nats-server monitor");
  const managed = spawnManaged(
    binary,
    [
      "-js",
      "-sd",
      dataDir,
      "-a",
      "127.0.0.1",
      "-p",
      String(port),
      "-m",
      String(monitorPort),
      "-n",
      "omniglass",
      "-P",
      pidFile,
    ],
    { onLine: log },
  );
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ready = await fetch(`${monitorUrl}/healthz?js-enabled-only=true`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (managed.child.exitCode !== null)
      throw new Error(
        `nats-server exited with code ${managed.child.exitCode} (port ${port} busy?)`,
      );
    if (Date.now() > deadline) {
      await managed.stop();
      throw new Error("nats-server did not become ready within 15 s");
    }
    await sleep(50);
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    monitorUrl,
    process: managed,
    stop: async () => {
      await managed.stop();
    },
  };
}
