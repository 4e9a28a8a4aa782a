import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { connectBus, publishJson, SUBJECTS, type BusConnection } from "@omniglass/bus";
import { AlarmsChanged, HealthChanged, SampleBatch } from "@omniglass/contracts";
import {
  connectDatabase,
  unsafeSeedPolledComponents,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { freePort, startNatsServer, type RunningNats } from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker, type RunningWorker } from "./worker";

/*
 * The ingest lane tells the live relays what a commit detected: the alarm a rule opened (on
 * og.v1.live.alarms) and the verdict it moved (og.v1.live.health.<owner>), after the commit.
 * The ingest durable is shared per server: this file runs its own nats-server.
 */
describe("ingest lane: live alarm and health notifications", () => {
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
    estate = await unsafeSeedPolledComponents(handle.db, { name: "live-lane", components: 1 });
    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `ingest-live-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    worker = await startWorker({
      databaseUrl: database.url,
      natsUrl: nats.url,
      heartbeatMs: 1_000,
      version: "test",
      clockTickMs: 60_000,
      log: () => {},
    });
    bus = connectBus({ servers: nats.url, name: "ingest-live-test" });
    await eventually(async () => (worker.lanes.some((l) => l.name === "ingest") ? true : null));
  });
  afterAll(async () => {
    await worker?.stop();
    await bus?.close();
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  it("publishes the opened alarm and the moved verdict after the commit", async () => {
    const [switchId] = estate.componentIds as [string];
    const nc = await bus.ready();
    const alarms: AlarmsChanged[] = [];
    const health: { subject: string; change: HealthChanged }[] = [];
    const subs = [
      nc.subscribe(SUBJECTS.liveAlarms, {
        callback: (_e, m) => void alarms.push(AlarmsChanged.parse(m.json())),
      }),
      nc.subscribe(SUBJECTS.liveHealthAll, {
        callback: (_e, m) =>
          void health.push({ subject: m.subject, change: HealthChanged.parse(m.json()) }),
      }),
    ];
    await nc.flush();
    const now = Date.now();
    // The official `unreachable` rule of the switch's template: false for two minutes.
    const batch: SampleBatch = {
      node: estate.nodeId,
      batchId: "live-1",
      samples: [150_000, 10_000].map((ago) => ({
        component: switchId,
        signal: "reachable",
        instance: "",
        ts: now - ago,
        value: false,
      })),
      rejections: [],
    };
    await publishJson(nc, SUBJECTS.samples(estate.nodeId), SampleBatch, batch, {
      msgId: batch.batchId,
    });
    await eventually(async () => (alarms.length > 0 ? true : null));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      kind: "opened",
      owner: { kind: "component", id: switchId },
      severity: "critical",
    });
    await eventually(async () => (health.some((h) => h.change.ownerId === switchId) ? true : null));
    const mine = health.find((h) => h.change.ownerId === switchId)!;
    expect(mine.subject).toBe(SUBJECTS.liveHealth(switchId));
    // The verdict is the health writer's to decide (here the node never heartbeats); what is
    // published is its transition.
    expect(mine.change.ownerKind).toBe("component");
    expect(mine.change.verdict).not.toBe(mine.change.previous);
    for (const s of subs) s.unsubscribe();
  });
});
