import { publishAlarmChanges, type BusConnection } from "@omniglass/bus";
import {
  DEFAULT_ENDPOINT_FAILING_DAYS,
  unsafeSyncEndpointAlarms,
  type Database,
} from "@omniglass/gateway";
import type { JobBook } from "./jobs";
import { startPeriodic, type PeriodicLane } from "./periodic";
import type { LaneErrorHandler } from "./types";

/**
 * The endpoint-alarm lane: every few seconds, the endpoint pass (gateway
 * `unsafeSyncEndpointAlarms`) opens the built-in endpoint-failing alarm of an endpoint that has
 * failed for `failingMs` (OMNIGLASS_WEBHOOK_FAILING_DAYS) or was disabled by a 410, and resolves
 * it once a delivery succeeds or the endpoint is re-enabled; the live views are told after the
 * commit. One worker at a time runs the pass (an advisory lock); the others skip that tick.
 */
export function startEndpointAlarmLane({
  bus,
  db,
  onError,
  jobs,
  everyMs = 5_000,
  failingMs = DEFAULT_ENDPOINT_FAILING_DAYS * 86_400_000,
}: {
  bus: BusConnection;
  db: Database;
  onError: LaneErrorHandler;
  jobs?: JobBook;
  everyMs?: number;
  failingMs?: number;
}): PeriodicLane {
  return startPeriodic({
    lane: "endpoint-alarms",
    everyMs,
    onError,
    jobs,
    pass: async () => {
      const result = await unsafeSyncEndpointAlarms(db, { failingMs });
      publishAlarmChanges(bus, result.alarms);
    },
  });
}
