import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  connectBus,
  ensureTopology,
  publishJson,
  SUBJECTS,
  type BusConnection,
} from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import {
  connectDatabase,
  unsafeSeedPolledComponents,
  unsafeTelemetrySnapshot,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import {
  freePort,
  spawnManaged,
  startNatsServer,
  type ManagedProcess,
  type RunningNats,
} from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = path.resolve(HERE, "..");

const COMPONENTS = 20;
const INSTANCES = 5; // 100 series of cpu-load, one sample each per batch
const STEP_MS = 30_000; // one batch every 30 s of sample time: 20 batches span cpu-high's `for: 10m`
const FIRST = 70; // batches 0..69: high from batch 10 on (fires once its 10 minutes have passed)
const TOTAL = 110; // batches 70..109: still high, low again from batch 100 (clears)
const HIGH_FROM = 10;
const LOW_FROM = 100;

/**
 * Detection is exactly once end to end (issue #13, item 10): two workers consume the same
 * durable while one of them is SIGKILLed mid-stream and restarted; the switch template's
 * cpu-high rule (`> 90 for 10m`, clear `< 70`) fires and clears on every series. Every series
 * ends with exactly one alarm carrying exactly one fired and one resolved event, dated within
 * the batches that caused them — none lost, none doubled by the redelivery or by the two writers.
 *
 * Batches are processed in parallel by two workers, so a series' pending period may start a batch
 * or two late; the clear is published only once everything before it is stored, because a
 * firing batch redelivered after its clear is late data the product (rightly) does not replay.
 */
describe("detection survives two workers and a killed one", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let bus: BusConnection;
  let estate: PolledEstate;
  const children: ManagedProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    estate = await unsafeSeedPolledComponents(handle.db, {
      name: "detect-reliability",
      components: COMPONENTS,
    });
    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `detect-reliability-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    bus = connectBus({ servers: nats.url, name: "detect-reliability-test" });
    await ensureTopology(await bus.ready());
  });
  afterAll(async () => {
    for (const child of children) await child.stop(2_000);
    await bus?.close();
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  const startWorker = (name: string) => {
    const child = spawnManaged(path.join(APP, "node_modules/.bin/tsx"), ["src/main.ts"], {
      cwd: APP,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        NATS_URL: nats.url,
        OMNIGLASS_WORKER_HEARTBEAT_MS: "1000",
        OMNIGLASS_WORKER_METRICS_PORT: "0",
      },
      onLine: (line) => output.push(`${name}: ${line}`),
    });
    children.push(child);
    return child;
  };
  const stored = async () =>
    (await unsafeTelemetrySnapshot(handle.db, { componentIds: estate.componentIds })).samples;
  const rows = async <T>(text: string) => (await handle.db.execute(text)).rows as T[];

  it("opens and resolves one alarm per series, each transition recorded once", async () => {
    const base = Date.now() - 58 * 60_000;
    const tsOf = (b: number) => base + b * STEP_MS;
    const cpu = (b: number) => (b >= LOW_FROM ? 40 : b >= HIGH_FROM ? 95 : 50);
    const batch = (b: number): SampleBatch => {
      const samples: SampleBatch["samples"] = [];
      for (const component of estate.componentIds)
        for (let i = 0; i < INSTANCES; i++)
          samples.push({
            component,
            signal: "cpu-load",
            instance: `cpu-${i}`,
            ts: tsOf(b),
            value: cpu(b),
          });
      return { node: estate.nodeId, batchId: `detect-${b}`, samples, rejections: [] };
    };
    const nc = await bus.ready();
    const publish = (b: number) =>
      publishJson(nc, SUBJECTS.samples(estate.nodeId), SampleBatch, batch(b), {
        msgId: `detect-${b}`,
        timeoutMs: 10_000,
      });
    const perBatch = COMPONENTS * INSTANCES;
    const failWith = async (error: Error) => {
      throw new Error(
        `${error.message}: ${await stored()} stored; workers said:\n${output.slice(-20).join("\n")}`,
      );
    };

    startWorker("a");
    const b1 = startWorker("b");
    // Both consume while batches arrive; one is killed once a few are stored, mid-stream.
    let b = 0;
    for (; b < FIRST / 2; b++) await publish(b);
    await eventually(async () => ((await stored()) >= 5 * perBatch ? true : null), 60_000, 20);
    await b1.stop(0, "SIGKILL");
    const atKill = await stored();
    for (; b < FIRST; b++) await publish(b);
    startWorker("b'");
    await eventually(
      async () => ((await stored()) === FIRST * perBatch ? true : null),
      90_000,
      200,
    ).catch(failWith);

    const open = await rows<{ n: number }>(
      "select count(*)::int as n from alarm where lifecycle = 'open'",
    );
    expect(open[0]!.n, "every series fired once its 10 minutes had passed").toBe(
      COMPONENTS * INSTANCES,
    );

    for (let b = FIRST; b < TOTAL; b++) await publish(b);
    await eventually(
      async () => ((await stored()) === TOTAL * perBatch ? true : null),
      90_000,
      200,
    ).catch(failWith);
    await eventually(async () => {
      const [r] = await rows<{ n: number }>(
        "select count(*)::int as n from alarm where lifecycle = 'open'",
      );
      return r!.n === 0 ? true : null;
    }, 10_000);

    const alarms = await rows<{
      component_id: string;
      instance: string;
      opened_ms: number;
      resolved_ms: number;
      transitions: number;
      events: string[];
      seqs: number[];
    }>(`
      select a.component_id, a.instance, a.transitions,
        (extract(epoch from a.opened_at) * 1000)::float8 as opened_ms,
        (extract(epoch from a.resolved_at) * 1000)::float8 as resolved_ms,
        array_agg(e.kind order by e.seq) as events, array_agg(e.seq order by e.seq) as seqs
      from alarm a join event_rule r on r.id = a.rule_id join alarm_event e on e.alarm_id = a.id
      where r.name = 'cpu-high'
      group by a.id`);
    expect(alarms).toHaveLength(COMPONENTS * INSTANCES);
    expect(new Set(alarms.map((a) => `${a.component_id}|${a.instance}`)).size).toBe(
      COMPONENTS * INSTANCES,
    );
    for (const a of alarms) {
      expect(a.events).toEqual(["fired", "resolved"]);
      expect(a.seqs).toEqual([1, 2]);
      expect(a.transitions).toBe(2);
      // Fired 10 minutes after the high period began (a batch or two late under two workers).
      expect(Number(a.opened_ms)).toBeGreaterThanOrEqual(tsOf(HIGH_FROM) + 10 * 60_000);
      expect(Number(a.opened_ms)).toBeLessThan(tsOf(FIRST));
      expect(Number(a.resolved_ms)).toBeGreaterThanOrEqual(tsOf(LOW_FROM));
      expect(Number(a.resolved_ms)).toBeLessThan(tsOf(TOTAL));
    }
    const snapshot = await unsafeTelemetrySnapshot(handle.db, {
      componentIds: estate.componentIds,
    });
    expect(snapshot.duplicates).toBe(0);
    console.log(
      `detect reliability: ${atKill} samples stored at the kill; ${alarms.length} alarms, 2 events each`,
    );
  }, 240_000);
});
