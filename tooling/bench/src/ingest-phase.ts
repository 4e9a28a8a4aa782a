/**
 * One timed pass of `pnpm bench ingest`: the worker's ingest lane in process (same consumer
 * helper, limits and writer), the batches published like a node, until every sample committed.
 */
import { CONSUMERS, ensureTopology, publishJson, runBatchConsumer, SUBJECTS } from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import {
  createAssignmentCache,
  parseSampleBatch,
  unsafeWriteNodeBatches,
} from "@omniglass/gateway";
import { machineLoad, quantile, say, treeCpuMs, type BenchStack } from "./stack";

export interface PhaseResult {
  rate: number;
  e2eMs: number;
  publishedMs: number;
  cpu: { node: number; pg: number; nats: number };
  p50: number;
  p99: number;
  load: string;
}

export async function runIngestPhase(
  stack: BenchStack,
  work: { total: number; payloads: SampleBatch[] },
): Promise<PhaseResult> {
  const { db } = stack.database;
  const nc = await stack.bus.ready();
  await ensureTopology(nc);
  // The payloads were checked against SampleBatch once; the timed publisher only serialises and
  // sends them (a node checks its batches on its own CPU, not the worker's).
  const checked = { parse: (payload: unknown) => payload } as unknown as typeof SampleBatch;

  const publishedAt = new Map<string, number>();
  const latencies: number[] = [];
  let committed = 0;
  let lastCommit = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const assignments = createAssignmentCache(db);
  const prefix = SUBJECTS.samples("");
  const lane = runBatchConsumer({
    bus: stack.bus,
    definition: CONSUMERS.ingest,
    schema: SampleBatch,
    parse: parseSampleBatch,
    prefetch: 64,
    maxPerHandle: 32,
    weigh: (batch) => batch.samples.length,
    maxWeight: 20_000,
    concurrency: 2,
    handle: async (items) => {
      await unsafeWriteNodeBatches(
        db,
        assignments,
        items.map(({ data, msg }) => ({ nodeId: msg.subject.slice(prefix.length), batch: data })),
      );
      const now = performance.now();
      for (const { data } of items) {
        const at = publishedAt.get(data.batchId);
        if (at !== undefined) latencies.push(now - at);
        committed += data.samples.length;
      }
      lastCommit = now;
      if (committed >= work.total) done();
    },
    onError: (error, context) =>
      say(
        `lane ${context.stage}: ${(error as Error).message} ${String((error as Error).cause ?? "")}`,
      ),
  });

  const cpuBefore = {
    node: process.cpuUsage(),
    pg: await treeCpuMs(stack.pgPid),
    nats: await treeCpuMs(stack.natsPid),
  };
  const started = performance.now();
  const pending = new Set<Promise<unknown>>();
  for (const payload of work.payloads) {
    publishedAt.set(payload.batchId, performance.now());
    const node = payload.node;
    const p = publishJson(nc, SUBJECTS.samples(node), checked, payload, {
      msgId: payload.batchId,
      timeoutMs: 30_000,
    }).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= 64) await Promise.race(pending);
  }
  await Promise.all(pending);
  const publishedMs = performance.now() - started;
  await finished;
  const nodeCpu = process.cpuUsage(cpuBefore.node);
  const cpu = {
    node: (nodeCpu.user + nodeCpu.system) / 1000,
    pg: (await treeCpuMs(stack.pgPid)) - cpuBefore.pg,
    nats: (await treeCpuMs(stack.natsPid)) - cpuBefore.nats,
  };
  await lane.stop();
  const e2eMs = lastCommit - started;
  latencies.sort((a, b) => a - b);
  return {
    rate: work.total / (e2eMs / 1000),
    e2eMs,
    publishedMs,
    cpu,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    load: machineLoad(),
  };
}
