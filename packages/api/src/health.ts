import { readFile } from "node:fs/promises";
import { SupervisorReport, type DependencyCheck, type HealthReport } from "@omniglass/contracts";
import { pingDatabase } from "@omniglass/gateway";
import type { ApiDependencies } from "./context";

/** Probes both dependencies in parallel; the same answer backs `/api/healthz` and `platform.getHealth`. */
export async function checkHealth(deps: ApiDependencies): Promise<HealthReport> {
  const [db, nats] = await Promise.all([pingDatabase(deps.db), deps.probeBus()]);
  const checkedAt = new Date();
  deps.monitor.observe("database", db, checkedAt);
  deps.monitor.observe("nats", nats, checkedAt);
  return {
    status: overall(db, nats),
    version: deps.version,
    checkedAt: checkedAt.toISOString(),
    db,
    nats,
  };
}

function overall(...checks: DependencyCheck[]) {
  return checks.every((c) => c.status === "up") ? "up" : "down";
}

/**
 * Reads `npm start`'s supervisor report from the status file it keeps (`.data/supervisor.json`,
 * handed to the web process as `OMNIGLASS_SUPERVISOR_STATUS_FILE`); null when it is absent or
 * unreadable — the status page then says the process is not supervised, never a made-up green.
 */
export function supervisorFromFile(file: string): () => Promise<SupervisorReport | null> {
  return async () => {
    const text = await readFile(file, "utf8").catch(() => null);
    if (text === null) return null;
    try {
      const parsed = SupervisorReport.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  };
}
