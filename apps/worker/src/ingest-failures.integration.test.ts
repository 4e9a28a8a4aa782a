import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import {
  connectBus,
  CONSUMERS,
  publishJson,
  SUBJECTS,
  type BusConnection,
  type ConsumerLoop,
} from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import {
  connectDatabase,
  unsafeSeedPolledComponents,
  unsafeTelemetrySnapshot,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTemplateDatabase } from "@omniglass/gateway/testing";
import {
  freePort,
  startEmbeddedPostgres,
  startNatsServer,
  type RunningNats,
  type RunningPostgres,
} from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker, type RunningWorker } from "./worker";

/*
 * The ingest lane's failure paths, end to end through a worker: a poison message on the samples
 * subject is terminated and counted without blocking the batches behind it; batches from a node
 * that does not exist (deleted) are dropped, counted and acked, never retried; samples a node
 * reports for a component it does not poll are rejected as not-polled; and PostgreSQL restarting
 * mid-ingest costs retries, not samples: every batch is stored once. This file runs its own
 * nats-server (the ingest durable is per server) and its own PostgreSQL (it is restarted).
 */

describe("ingest lane failure paths", () => {
  let postgres: RunningPostgres;
  let pgOptions: { dataDir: string; port: number };
  let url: string;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let bus: BusConnection;
  let worker: RunningWorker;
  let estate: PolledEstate;
  let other: PolledEstate;
  let lane: ConsumerLoop;
  const lines: string[] = [];

  beforeAll(async () => {
    const tmp = testInfra().tempDir;
    pgOptions = {
      dataDir: path.join(tmp, `ingest-failures-pg-${process.pid}`),
      port: await freePort(),
    };
    postgres = await startEmbeddedPostgres(pgOptions);
    url = await createTemplateDatabase(postgres.serverUrl, "omniglass");
    handle = connectDatabase({ url, max: 2 });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "failures", components: 4 });
    other = await unsafeSeedPolledComponents(handle.db, { name: "elsewhere", components: 1 });
    nats = await startNatsServer({
      dataDir: path.join(tmp, `ingest-failures-nats-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    worker = await startWorker({
      databaseUrl: url,
      natsUrl: nats.url,
      heartbeatMs: 1_000,
      version: "test",
      log: (line) => lines.push(line),
    });
    bus = connectBus({ servers: nats.url, name: "ingest-failures-test" });
    lane = await eventually(async () => worker.lanes.find((l) => l.name === "ingest"), 30_000);
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await bus?.close();
    await nats?.stop();
    await handle?.close();
    await postgres?.stop();
  });

  const snapshot = (componentIds = estate.componentIds) =>
    unsafeTelemetrySnapshot(handle.db, { componentIds });
  /** The ingest durable as the server sees it (JetStream's consumer info API). */
  const consumerInfo = async () => {
    const { stream, config } = CONSUMERS.ingest;
    const reply = await (
      await bus.ready()
    ).request(`$JS.API.CONSUMER.INFO.${stream}.${config.durable_name}`, "", { timeout: 5_000 });
    return reply.json<{
      delivered: { consumer_seq: number; stream_seq: number };
      num_ack_pending: number;
      num_pending: number;
      num_redelivered: number;
    }>();
  };
  /** Everything handed out was acked, and nothing waits. */
  const drained = () =>
    eventually(async () => {
      const info = await consumerInfo();
      return info.num_pending === 0 && info.num_ack_pending === 0 ? info : null;
    }, 20_000);
  const batchOf = (
    id: string,
    components: string[],
    ts: number,
    node = estate.nodeId,
  ): SampleBatch => ({
    node,
    batchId: id,
    samples: components.map((component, i) => ({
      component,
      signal: "cpu-load",
      instance: `cpu-${i}`,
      ts,
      value: ts % 1_000,
    })),
    rejections: [],
  });
  const publish = async (batch: SampleBatch, node = batch.node) =>
    publishJson(await bus.ready(), SUBJECTS.samples(node), SampleBatch, batch, {
      msgId: batch.batchId,
    });

  it("terminates poison on the samples subject, counts it, and stores the batch behind it", async () => {
    const nc = await bus.ready();
    const before = lane.counters();
    // Core publishes land in the stream as they are: not JSON, and JSON off the contract.
    nc.publish(SUBJECTS.samples(estate.nodeId), "{ torn");
    nc.publish(
      SUBJECTS.samples(estate.nodeId),
      JSON.stringify({ node: estate.nodeId, batchId: "x", samples: [{ ts: "yesterday" }] }),
    );
    await nc.flush();
    const ts = Date.now() - 1_000;
    await publish(batchOf("after-poison", estate.componentIds, ts));
    await eventually(async () => ((await snapshot()).samples >= 4 ? true : null), 15_000);
    const info = await drained();
    expect(lane.counters().rejected - before.rejected).toBe(2);
    expect(lane.counters().failed - before.failed).toBe(0);
    expect(info.num_redelivered).toBe(0);
  });

  it("drops a deleted node's batches, counted and acked, and rejects what a node does not poll", async () => {
    const before = lane.counters();
    const seqBefore = (await consumerInfo()).delivered.consumer_seq;
    const gone = "0190f5a0-0000-7000-8000-0000000dead0";
    const ts = Date.now() - 2_000;
    await publish(batchOf("from-a-deleted-node", estate.componentIds, ts, gone), gone);
    // A live node reporting a component another node polls: refused sample by sample.
    await publish(batchOf("not-polled", other.componentIds, ts));
    await eventually(
      async () => lines.some((l) => /dropped 1 batch\(es\) from unknown node/.test(l)),
      15_000,
    );
    await drained();
    const counters = lane.counters();
    expect(counters.handled - before.handled).toBe(2);
    expect(counters.failed - before.failed).toBe(0);
    // Nothing stored for either, the refusal counted where the console shows it.
    const mine = await unsafeTelemetrySnapshot(handle.db, {
      componentIds: other.componentIds,
      sourceId: estate.nodeId,
    });
    expect(mine.samples).toBe(0);
    expect(mine.rejections).toEqual([
      expect.objectContaining({
        componentId: other.componentIds[0],
        reason: "not-polled",
        count: 1,
      }),
    ]);
    // Delivered once each and settled: not coming back.
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await consumerInfo();
    expect(after.delivered.consumer_seq - seqBefore).toBe(2);
    expect(after.num_ack_pending).toBe(0);
    expect(after.num_redelivered).toBe(0);
  });

  it(
    "stores every batch once when PostgreSQL restarts mid-ingest",
    { timeout: 90_000 },
    async () => {
      const BATCHES = 40;
      const PER = 250;
      const components = estate.componentIds;
      const base = Date.now() - 60_000;
      const before = lane.counters();
      const storedBefore = (await snapshot()).samples;
      const big = (b: number): SampleBatch => ({
        node: estate.nodeId,
        batchId: `pg-restart-${b}`,
        samples: Array.from({ length: PER }, (_, i) => ({
          component: components[i % components.length]!,
          signal: "cpu-load",
          instance: `pg-${Math.floor(i / components.length)}`,
          ts: base + b,
          value: b,
        })),
        rejections: [],
      });
      for (let b = 0; b < BATCHES / 2; b++) await publish(big(b));
      await eventually(
        async () => ((await snapshot()).samples > storedBefore ? true : null),
        15_000,
      );
      await handle.close();
      await postgres.stop();
      // The rest arrive while the database is away: the lane fails, naks, and retries.
      for (let b = BATCHES / 2; b < BATCHES; b++) await publish(big(b));
      await new Promise((r) => setTimeout(r, 2_000));
      postgres = await startEmbeddedPostgres(pgOptions);
      handle = connectDatabase({ url, max: 2 });
      const want = storedBefore + BATCHES * PER;
      await eventually(
        async () => ((await snapshot()).samples >= want ? true : null),
        45_000,
      ).catch(async (error: Error) => {
        throw new Error(
          `${error.message}: ${(await snapshot()).samples - storedBefore} of ${BATCHES * PER} stored; counters ${JSON.stringify(lane.counters())}`,
        );
      });
      await drained();
      const s = await snapshot();
      expect(s.samples).toBe(want);
      expect(s.duplicates).toBe(0);
      // Retried, not lost: some calls failed while PostgreSQL was away.
      expect(lane.counters().failed - before.failed).toBeGreaterThan(0);
      for (const series of s.series.filter((x) => x.instance.startsWith("pg-")))
        expect(series.value).toBe(BATCHES - 1);
    },
  );
});
