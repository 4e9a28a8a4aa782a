import { CONSUMERS, runConsumer, type BusConnection, type ConsumerLoop } from "@omniglass/bus";
import { WorkerHeartbeat } from "@omniglass/contracts";
import { unsafeRecordWorkerHeartbeat, type Database } from "@omniglass/gateway";
import type { LaneErrorHandler } from "./types";

/** The presence lane: every heartbeat on JetStream moves its worker's row in the registry. */
export function startPresenceLane({
  bus,
  db,
  onError,
}: {
  bus: BusConnection;
  db: Database;
  onError: LaneErrorHandler;
}): ConsumerLoop {
  return runConsumer({
    bus,
    definition: CONSUMERS.presence,
    schema: WorkerHeartbeat,
    handle: async (heartbeat) => {
      await unsafeRecordWorkerHeartbeat({ db, heartbeat });
    },
    onError: (error, context) => onError("presence", error, context.stage),
  });
}
