import type { SampleBatch } from "@omniglass/contracts";
import type { AlarmChange } from "../alarms/transitions";
import type { HealthChange } from "../health";
import type { Database } from "../db";
import { assignmentKey, type AssignmentCache } from "./assignments";
import {
  loadSignalCatalog,
  unsafeWriteSamples,
  type ChangedOwner,
  type IncomingRejection,
  type IncomingSample,
} from "./ingest";

export interface NodeBatchesResult {
  accepted: number;
  rejected: number;
  /** Batches from nodes that do not exist (deleted): dropped, nothing to count them against. */
  dropped: number;
  changed: ChangedOwner[];
  /** Alarms the commits opened, reopened or resolved, and verdicts they moved (for the live relay). */
  alarms: AlarmChange[];
  health: HealthChange[];
}

/**
 * Writes sample batches published by nodes (the worker's ingest lane; also `pnpm bench ingest`).
 * Each sample is bound to the node's assignments: a (component, signal) the node does not poll is
 * rejected `not-polled`; the rest are written with the polling function's interval. The batches
 * of one node are written in one call (one transaction). `nodeId` is the one from the subject the
 * batch came on (what NATS lets that node publish), not the one inside the message.
 */
export async function unsafeWriteNodeBatches(
  db: Database,
  assignments: AssignmentCache,
  batches: { nodeId: string; batch: SampleBatch }[],
  options: { retentionDays?: number } = {},
): Promise<NodeBatchesResult> {
  const byNode = new Map<string, SampleBatch[]>();
  for (const { nodeId, batch } of batches) {
    const list = byNode.get(nodeId);
    if (list) list.push(batch);
    else byNode.set(nodeId, [batch]);
  }
  const result: NodeBatchesResult = {
    accepted: 0,
    rejected: 0,
    dropped: 0,
    changed: [],
    alarms: [],
    health: [],
  };
  for (const [nodeId, list] of byNode) {
    const wanted = new Set<string>();
    for (const batch of list)
      for (const s of batch.samples) wanted.add(assignmentKey(s.component, s.signal));
    const assigned = await assignments.get(nodeId, wanted);
    const catalog = await loadSignalCatalog(db);
    if (!assigned.exists) {
      result.dropped += list.length;
      continue;
    }
    const samples: IncomingSample[] = [];
    const rejections: IncomingRejection[] = [];
    for (const batch of list) {
      for (const s of batch.samples) {
        const interval = assigned.intervals.get(assignmentKey(s.component, s.signal));
        // An unregistered signal is reported as such (the writer's check), not as not-polled.
        if (interval === undefined && catalog.has(s.signal)) {
          rejections.push({
            componentId: s.component,
            signal: s.signal,
            reason: "not-polled",
            detail: `${s.signal}: this node has no task producing it for component ${s.component}`,
          });
          continue;
        }
        samples.push({
          ownerKind: "component",
          ownerId: s.component,
          signal: s.signal,
          instance: s.instance,
          ts: s.ts,
          value: s.value,
          expectedIntervalMs: interval ?? null,
        });
      }
      for (const r of batch.rejections)
        rejections.push({
          componentId: r.component,
          signal: r.signal,
          reason: r.reason,
          detail: r.detail,
        });
    }
    const written = await unsafeWriteSamples(db, {
      sourceId: nodeId,
      provenance: "observed",
      samples,
      rejections,
      retentionDays: options.retentionDays,
    });
    result.accepted += written.accepted;
    result.rejected += written.rejected.length + rejections.length;
    result.changed.push(...written.changed);
    result.alarms.push(...written.alarms);
    result.health.push(...written.health);
  }
  return result;
}
