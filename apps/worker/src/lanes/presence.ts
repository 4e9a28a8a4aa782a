import { CONSUMERS, runBatchConsumer, type BusConnection, type ConsumerLoop } from "@omniglass/bus";
import { NodeHeartbeat, WorkerHeartbeat } from "@omniglass/contracts";
import {
  unsafeRecordNodeHeartbeat,
  unsafeRecordWorkerHeartbeat,
  type Database,
} from "@omniglass/gateway";
import { z } from "zod";
import type { LaneErrorHandler } from "./types";

/** Both kinds of presence ride one stream and one consumer; told apart by their shape. */
const Presence = z.union([WorkerHeartbeat, NodeHeartbeat]);

/**
 * The presence lane: a worker's heartbeat moves its row in the registry; a node's moves the
 * node's last-seen time and stored heartbeat. One message per call (a batch of one): each beat
 * is acked after its row is written.
 */
export function startPresenceLane({
  bus,
  db,
  onError,
}: {
  bus: BusConnection;
  db: Database;
  onError: LaneErrorHandler;
}): ConsumerLoop {
  return runBatchConsumer({
    bus,
    definition: CONSUMERS.presence,
    schema: Presence,
    maxPerHandle: 1,
    handle: async ([{ data: heartbeat }]) => {
      if ("workerId" in heartbeat) await unsafeRecordWorkerHeartbeat({ db, heartbeat });
      else await unsafeRecordNodeHeartbeat(db, heartbeat);
    },
    onError: (error, context) => onError("presence", error, context.stage),
  });
}
