import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSUMERS, publishJson, SUBJECTS } from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import { unsafeTelemetrySnapshot } from "@omniglass/gateway";
import { eventually } from "@omniglass/testing";
import { startWorkerHarness, type WorkerHarness } from "./test/worker-harness";

const BATCHES = 100;
const PER_BATCH = 1_000;
const COMPONENTS = 50;
const INSTANCES = 10; // 500 series; each batch holds two timestamps of every series
/** Published before the kill: more than the worker commits in one write (20 batches of 1,000). */
const BEFORE_KILL = 60;

/**
 * At-least-once, end to end: 100,000 samples published while the worker (a child process) is
 * SIGKILLed mid-stream and restarted. Every sample is stored exactly once, and every series'
 * current value is its newest sample.
 *
 * What shows the kill landed mid-work, from the server's side (the ingest durable's info): at the
 * kill the server had delivered batches the worker never acked (`num_ack_pending` > 0), every
 * batch it had acked was already committed (stored >= acked × 1,000: an ack before the commit
 * fails this), and after the restart the consumer delivered at least those batches a second time
 * (`delivered.consumer_seq` − `delivered.stream_seq`: deliveries beyond one per message).
 */
describe("ingest survives a killed worker", () => {
  let h: WorkerHarness;

  beforeAll(async () => {
    h = await startWorkerHarness("ingest-reliability", COMPONENTS);
  });
  afterAll(async () => {
    await h?.close();
  });

  const startChild = () => h.startWorker();
  const stored = () => h.stored();
  /** The ingest durable as the server sees it (JetStream's consumer info API). */
  const consumerInfo = async () => {
    const { stream, config } = CONSUMERS.ingest;
    const reply = await (
      await h.bus.ready()
    ).request(`$JS.API.CONSUMER.INFO.${stream}.${config.durable_name}`, "", { timeout: 5_000 });
    return reply.json<{
      delivered: { consumer_seq: number; stream_seq: number };
      num_ack_pending: number;
      num_pending: number;
    }>();
  };

  it("stores 100,000 samples exactly once across a SIGKILL and a restart", async () => {
    const base = Date.now() - 10 * 60_000;
    const batch = (b: number): SampleBatch => {
      const samples: SampleBatch["samples"] = [];
      for (const component of h.estate.componentIds)
        for (let i = 0; i < INSTANCES; i++)
          for (let k = 0; k < 2; k++)
            samples.push({
              component,
              signal: "cpu-load",
              instance: `cpu-${i}`,
              ts: base + b * 2 + k,
              value: b * 2 + k,
            });
      return { node: h.estate.nodeId, batchId: `reliability-${b}`, samples, rejections: [] };
    };
    expect(batch(0).samples).toHaveLength(PER_BATCH);
    const nc = await h.bus.ready();
    const publish = (b: number) =>
      publishJson(nc, SUBJECTS.samples(h.estate.nodeId), SampleBatch, batch(b), {
        msgId: `reliability-${b}`,
        timeoutMs: 10_000,
      });

    let b = 0;
    for (; b < BEFORE_KILL; b++) await publish(b);
    const first = startChild();
    // Killed as soon as its first write committed, while the server shows batches in its hands.
    await eventually(
      async () =>
        (await stored()) > 0 && (await consumerInfo()).num_ack_pending > 0 ? true : null,
      30_000,
      10,
    );
    await first.stop(0, "SIGKILL");
    // The server's view is frozen until the ack wait (15 s) hands the unacked batches back.
    const killed = await consumerInfo();
    const atKill = await stored();
    const ackedAtKill = killed.delivered.consumer_seq - killed.num_ack_pending;
    expect(killed.delivered.consumer_seq, "no redelivery before the kill").toBe(
      killed.delivered.stream_seq,
    );
    expect(killed.num_ack_pending, "batches in flight at the kill").toBeGreaterThan(0);
    // Acknowledge after commit: every batch acked by then is stored.
    expect(atKill).toBeGreaterThanOrEqual(ackedAtKill * PER_BATCH);
    expect(atKill).toBeGreaterThan(0);
    // Not everything published had been committed: the kill landed mid-stream.
    expect(atKill).toBeLessThan(BEFORE_KILL * PER_BATCH);
    // …the rest while it is down, then a new worker drains the stream.
    for (; b < BATCHES; b++) await publish(b);
    startChild();
    // Batches the killed worker held come back after the consumer's ack wait (15 s).
    await eventually(
      async () => ((await stored()) === BATCHES * PER_BATCH ? true : null),
      45_000,
      200,
    ).catch(async (error: Error) => {
      throw new Error(
        `${error.message}: ${await stored()} stored (${atKill} at the kill); worker said:\n${h.output.slice(-20).join("\n")}`,
      );
    });
    // Settled: nothing more arrives (no duplicate could be stored anyway; checked, not assumed).
    await new Promise((r) => setTimeout(r, 500));
    const snapshot = await unsafeTelemetrySnapshot(h.handle.db, {
      componentIds: h.estate.componentIds,
    });
    expect(snapshot.samples).toBe(BATCHES * PER_BATCH);
    expect(snapshot.duplicates).toBe(0);
    const cpu = snapshot.series.filter((s) => s.signal === "cpu-load");
    expect(cpu).toHaveLength(COMPONENTS * INSTANCES);
    const last = (BATCHES - 1) * 2 + 1;
    for (const s of cpu) {
      expect(s.value).toBe(last);
      expect(s.tsMs).toBe(base + last);
    }
    expect(snapshot.rejections).toEqual([]);

    // The batches the killed worker held were delivered again (and, by the count above, stored once).
    const after = await eventually(async () => {
      const info = await consumerInfo();
      return info.num_ack_pending === 0 ? info : null;
    }, 10_000);
    const redeliveries = after.delivered.consumer_seq - after.delivered.stream_seq;
    expect(after.delivered.stream_seq).toBe(BATCHES);
    expect(redeliveries).toBeGreaterThanOrEqual(killed.num_ack_pending);
    expect(after.num_ack_pending).toBe(0);
    expect(after.num_pending).toBe(0);
    console.log(
      `ingest reliability: killed with ${killed.num_ack_pending} batch(es) unacked (${ackedAtKill} acked, ${atKill} samples stored); ${redeliveries} redelivered after the restart`,
    );
  }, 90_000);
});
