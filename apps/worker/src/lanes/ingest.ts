import {
  CONSUMERS,
  publishAlarmChanges,
  publishHealthChanges,
  publishLiveValues,
  runBatchConsumer,
  SUBJECTS,
  type BusConnection,
  type ConsumerLoop,
} from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import {
  createAssignmentCache,
  parseSampleBatch,
  unsafeWriteNodeBatches,
  type Database,
} from "@omniglass/gateway";
import type { WorkerMetrics } from "../metrics";
import type { LaneErrorHandler } from "./types";

const SAMPLES_PREFIX = SUBJECTS.samples("");

/**
 * The ingest lane: sample batches from the nodes, bound to each node's assignments and written
 * by the gateway. Every batch available at once goes into one write (one transaction per node);
 * they are acked only after it committed, so a crash redelivers them and the (series, ts) key
 * makes the redelivery harmless. After the commit, the live relays are told which values,
 * alarms and verdicts changed (core NATS, fire and forget: a page that missed one reads again).
 */
export function startIngestLane({
  bus,
  db,
  retentionDays,
  onError,
  log,
  metrics,
}: {
  bus: BusConnection;
  db: Database;
  retentionDays: number;
  onError: LaneErrorHandler;
  log?: (line: string) => void;
  metrics?: WorkerMetrics;
}): ConsumerLoop {
  const assignments = createAssignmentCache(db);
  return runBatchConsumer({
    bus,
    definition: CONSUMERS.ingest,
    schema: SampleBatch,
    parse: parseSampleBatch,
    prefetch: 64,
    maxPerHandle: 32,
    weigh: (batch) => batch.samples.length + batch.rejections.length,
    maxWeight: 20_000,
    concurrency: 2,
    handle: async (items) => {
      const batches = items.map(({ data, msg }) => ({
        nodeId: msg.subject.startsWith(SAMPLES_PREFIX)
          ? msg.subject.slice(SAMPLES_PREFIX.length)
          : data.node,
        batch: data,
      }));
      const began = performance.now();
      const result = await unsafeWriteNodeBatches(db, assignments, batches, { retentionDays });
      if (metrics) metrics.observeWrite(writeFigures(batches, result, began));
      if (result.dropped > 0)
        log?.(`omniglass-worker: dropped ${result.dropped} batch(es) from unknown node(s)`);
      publishLiveValues(bus, result.changed);
      publishAlarmChanges(bus, result.alarms);
      publishHealthChanges(bus, result.health);
    },
    onError: (error, context) => onError("ingest", error, context.stage),
  });
}

/** The node's own rejection reasons as it reported them; whatever else the writer refused as `writer`. */
function writeFigures(
  batches: { batch: SampleBatch }[],
  result: { accepted: number; rejected: number; dropped: number },
  began: number,
) {
  const rejectedByReason: Record<string, number> = {};
  let fromNodes = 0;
  for (const { batch } of batches)
    for (const r of batch.rejections) {
      rejectedByReason[r.reason] = (rejectedByReason[r.reason] ?? 0) + 1;
      fromNodes++;
    }
  rejectedByReason.writer = Math.max(0, result.rejected - fromNodes);
  return {
    accepted: result.accepted,
    rejectedByReason,
    dropped: result.dropped,
    seconds: (performance.now() - began) / 1000,
  };
}
