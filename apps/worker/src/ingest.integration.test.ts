import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { connectBus, publishJson, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { LiveValuesChanged, SampleBatch } from "@omniglass/contracts";
import {
  connectDatabase,
  unsafeSeedPolledComponents,
  unsafeTelemetrySnapshot,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { freePort, startNatsServer, type RunningNats } from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker, type RunningWorker } from "./worker";

// The ingest durable is shared per server: this file runs its own nats-server.
describe("ingest lane", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let bus: BusConnection;
  let worker: RunningWorker;
  let estate: PolledEstate;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "lane-test", components: 2 });
    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `ingest-lane-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    worker = await startWorker({
      databaseUrl: database.url,
      natsUrl: nats.url,
      heartbeatMs: 1_000,
      version: "test",
      clockTickMs: 200,
      log: () => {},
    });
    bus = connectBus({ servers: nats.url, name: "ingest-lane-test" });
    await eventually(async () => (worker.lanes.some((l) => l.name === "ingest") ? true : null));
  });
  afterAll(async () => {
    await worker?.stop();
    await bus?.close();
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  const snapshot = (componentIds = estate.componentIds) =>
    unsafeTelemetrySnapshot(handle.db, { componentIds, sourceId: estate.nodeId });
  const publish = async (batch: SampleBatch) =>
    publishJson(await bus.ready(), SUBJECTS.samples(estate.nodeId), SampleBatch, batch, {
      msgId: batch.batchId,
    });
  const samplesOf = async (component: string) => (await snapshot([component])).samples;

  it("writes a node's batch, counts what it rejects, and is idempotent on redelivery", async () => {
    const [c0, c1] = estate.componentIds as [string, string];
    const now = Date.now();
    const batch: SampleBatch = {
      node: estate.nodeId,
      batchId: "lane-1",
      samples: [
        { component: c0, signal: "cpu-load", instance: "", ts: now - 2_000, value: 10 },
        { component: c0, signal: "cpu-load", instance: "", ts: now - 1_000, value: 20 },
        { component: c0, signal: "uptime", instance: "", ts: now - 1_000, value: 1234 },
        { component: c0, signal: "no-such-signal", instance: "", ts: now, value: 1 },
        { component: c0, signal: "cpu-load", instance: "", ts: now, value: "busy" },
        // A signal registered but not produced by the switch's template: not polled.
        { component: c1, signal: "power-state", instance: "", ts: now, value: "on" },
      ],
      rejections: [
        {
          component: c1,
          signal: "uptime",
          instance: "",
          ts: now,
          reason: "device-error",
          detail: "no answer",
        },
      ],
    };
    const live: LiveValuesChanged[] = [];
    const sub = (await bus.ready()).subscribe(SUBJECTS.liveValues(c0), {
      callback: (_e, m) => {
        live.push(LiveValuesChanged.parse(m.json()));
      },
    });
    await publish(batch);
    const counts = await eventually(async () => {
      const rows = (await snapshot()).rejections;
      return rows.length === 4 ? rows : null;
    });
    expect(counts.map((r) => [r.signal, r.reason, Number(r.count)])).toEqual([
      ["cpu-load", "invalid-value", 1],
      ["no-such-signal", "unregistered-signal", 1],
      ["power-state", "not-polled", 1],
      ["uptime", "device-error", 1],
    ]);
    expect(await samplesOf(c0)).toBe(3);
    await eventually(async () => (live.length > 0 ? true : null));
    expect(live[0]).toMatchObject({ ownerKind: "component", ownerId: c0 });
    expect(live[0]!.signals.sort()).toEqual(["cpu-load", "uptime"]);
    sub.unsubscribe();

    // The same batch again under a new message id (past the stream's dedup): counted, not stored twice.
    await publish({ ...batch, batchId: "lane-1-again" });
    await eventually(async () => {
      const r = (await snapshot()).rejections.find((x) => x.reason === "not-polled");
      return r?.count === 2 ? true : null;
    });
    expect(await samplesOf(c0)).toBe(3);
    const current = (await snapshot([c0])).series.find((s) => s.signal === "cpu-load");
    expect(current).toMatchObject({ value: 20, tsMs: now - 1_000, state: "fresh" });
  });

  it("has the clock mark a silent series stale, with an event and a live message", async () => {
    const c1 = estate.componentIds[1]!;
    const live: LiveValuesChanged[] = [];
    const sub = (await bus.ready()).subscribe(SUBJECTS.liveValues(c1), {
      callback: (_e, m) => {
        live.push(LiveValuesChanged.parse(m.json()));
      },
    });
    // cpu-load is polled every minute: a value 2 minutes and a second old is due stale at once.
    await publish({
      node: estate.nodeId,
      batchId: "stale-1",
      samples: [
        { component: c1, signal: "cpu-load", instance: "", ts: Date.now() - 121_000, value: 5 },
      ],
      rejections: [],
    });
    const events = await eventually(async () => {
      const rows = (await snapshot([c1])).events;
      return rows.length > 0 ? rows : null;
    });
    expect(events).toEqual([{ componentId: c1, signal: "cpu-load", state: "stale" }]);
    const series = (await snapshot([c1])).series.find((s) => s.signal === "cpu-load");
    expect(series?.state).toBe("stale");
    await eventually(async () => (live.length >= 2 ? true : null));
    sub.unsubscribe();
  });
});
