import { publishLiveValues, type BusConnection } from "@omniglass/bus";
import {
  unsafeDropExpiredPartitions,
  unsafeEnsureCurrentPartitions,
  unsafeMarkStale,
  type Database,
} from "@omniglass/gateway";
import type { WorkerMetrics } from "../metrics";
import type { LaneErrorHandler } from "./types";

export interface Clock {
  stop(): Promise<void>;
}

/** Partitions ahead of time, then history older than the retention dropped. */
export async function maintainPartitions(db: Database, retentionDays: number): Promise<string[]> {
  await unsafeEnsureCurrentPartitions(db);
  return unsafeDropExpiredPartitions(db, { retentionDays });
}

/**
 * The clock lane: every second, series past their stale time become stale (and the live views
 * hear of it); every hour, partitions are created ahead and expired ones dropped. Several workers
 * may run it: each pass is one idempotent statement.
 */
export function startClock({
  bus,
  db,
  retentionDays,
  onError,
  log,
  tickMs = 1_000,
  maintenanceMs = 3_600_000,
  metrics,
}: {
  bus: BusConnection;
  db: Database;
  retentionDays: number;
  onError: LaneErrorHandler;
  log: (line: string) => void;
  tickMs?: number;
  maintenanceMs?: number;
  metrics?: WorkerMetrics;
}): Clock {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = setInterval(() => {
    if (busy) return;
    busy = true;
    running = unsafeMarkStale(db)
      .then((changed) => {
        metrics?.observeStalePass(changed.length);
        publishLiveValues(bus, changed);
      })
      .catch((error) => onError("clock", error, "stale"))
      .finally(() => {
        busy = false;
      });
  }, tickMs);
  const maintenance = setInterval(() => {
    void maintainPartitions(db, retentionDays)
      .then((dropped) => {
        if (dropped.length > 0) log(`omniglass-worker: dropped history ${dropped.join(", ")}`);
      })
      .catch((error) => onError("clock", error, "partitions"));
  }, maintenanceMs);
  maintenance.unref();
  return {
    stop: async () => {
      clearInterval(tick);
      clearInterval(maintenance);
      await running;
    },
  };
}
