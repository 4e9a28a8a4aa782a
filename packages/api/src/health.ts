import type { DependencyCheck, HealthReport } from "@omniglass/contracts";
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
