import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishJson, SUBJECTS } from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import { unsafeTelemetrySnapshot } from "@omniglass/gateway";
import { eventually } from "@omniglass/testing";
import { startWorkerHarness, type WorkerHarness } from "./test/worker-harness";

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
  let h: WorkerHarness;

  beforeAll(async () => {
    h = await startWorkerHarness("detect-reliability", COMPONENTS);
  });
  afterAll(async () => {
    await h?.close();
  });

  const rows = async <T>(text: string) => (await h.handle.db.execute(text)).rows as T[];

  it("opens and resolves one alarm per series, each transition recorded once", async () => {
    const base = Date.now() - 58 * 60_000;
    const tsOf = (b: number) => base + b * STEP_MS;
    const cpu = (b: number) => (b >= LOW_FROM ? 40 : b >= HIGH_FROM ? 95 : 50);
    const batch = (b: number): SampleBatch => {
      const samples: SampleBatch["samples"] = [];
      for (const component of h.estate.componentIds)
        for (let i = 0; i < INSTANCES; i++)
          samples.push({
            component,
            signal: "cpu-load",
            instance: `cpu-${i}`,
            ts: tsOf(b),
            value: cpu(b),
          });
      return { node: h.estate.nodeId, batchId: `detect-${b}`, samples, rejections: [] };
    };
    const nc = await h.bus.ready();
    const publish = (b: number) =>
      publishJson(nc, SUBJECTS.samples(h.estate.nodeId), SampleBatch, batch(b), {
        msgId: `detect-${b}`,
        timeoutMs: 10_000,
      });
    const perBatch = COMPONENTS * INSTANCES;
    const failWith = async (error: Error) => {
      throw new Error(
        `${error.message}: ${await h.stored()} stored; workers said:\n${h.output.slice(-20).join("\n")}`,
      );
    };

    h.startWorker("a");
    const b1 = h.startWorker("b");
    // Both consume while batches arrive; one is killed once a few are stored, mid-stream.
    let b = 0;
    for (; b < FIRST / 2; b++) await publish(b);
    await eventually(async () => ((await h.stored()) >= 5 * perBatch ? true : null), 60_000, 20);
    await b1.stop(0, "SIGKILL");
    const atKill = await h.stored();
    for (; b < FIRST; b++) await publish(b);
    h.startWorker("b'");
    await eventually(
      async () => ((await h.stored()) === FIRST * perBatch ? true : null),
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
      async () => ((await h.stored()) === TOTAL * perBatch ? true : null),
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
    const snapshot = await unsafeTelemetrySnapshot(h.handle.db, {
      componentIds: h.estate.componentIds,
    });
    expect(snapshot.duplicates).toBe(0);
    console.log(
      `detect reliability: ${atKill} samples stored at the kill; ${alarms.length} alarms, 2 events each`,
    );
  }, 240_000);
});
