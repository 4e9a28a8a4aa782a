import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { connectBus, type BusConnection } from "@omniglass/bus";
import {
  connectDatabase,
  listSamplePartitions,
  partitionName,
  unsafeSeedPolledComponents,
  unsafeTelemetrySnapshot,
  unsafeWriteSamples,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { startClock, type Clock } from "./lanes/clock";

/*
 * Retention through the worker's clock lane (startClock, its maintenance pass every 100 ms here):
 * partitions are created ahead (yesterday .. today + 2, UTC days) and whole days past the
 * retention dropped, while every series keeps its current value. The wall clock is moved (only
 * `Date`, the lane's own timers stay real) across a UTC midnight to see the day boundary move.
 */

const DAY = 86_400_000;
const utcDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** Waits on real time (`Date` is frozen in these tests, so `eventually` would never time out). */
async function until<T>(probe: () => Promise<T | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const value = await probe().catch((error: unknown) => ((last = error), null));
    if (value) return value;
    if (performance.now() > deadline)
      throw new Error(`not within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("retention through the clock lane", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let estate: PolledEstate;
  let bus: BusConnection;
  let clock: Clock | null = null;
  const lines: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "retention", components: 8 });
    // The stale pass publishes live changes when connected; nothing listens here.
    bus = connectBus({ servers: "nats://127.0.0.1:1", name: "retention-test" });
  });
  afterEach(async () => {
    await clock?.stop();
    clock = null;
    vi.useRealTimers();
  });
  afterAll(async () => {
    await bus?.close();
    await handle?.close();
    await database?.drop();
  });

  const runClock = (retentionDays: number) => {
    clock = startClock({
      bus,
      db: handle.db,
      retentionDays,
      onError: (lane, error, stage) => errors.push(`${lane} ${stage}: ${String(error)}`),
      log: (line) => lines.push(line),
      tickMs: 1_000,
      maintenanceMs: 100,
    });
  };
  const partitions = async () => (await listSamplePartitions(handle.db)).map((p) => p.name);
  const component = (i: number) => estate.componentIds[i]!;
  const write = (i: number, ts: number, value: number) =>
    unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [
        {
          ownerKind: "component",
          ownerId: component(i),
          signal: "cpu-load",
          instance: "",
          ts,
          value,
          expectedIntervalMs: null,
        },
      ],
      retentionDays: 30,
    });
  const seen = async (i: number) => {
    const s = await unsafeTelemetrySnapshot(handle.db, { componentIds: [component(i)] });
    return { samples: s.samples, value: s.series.find((x) => x.signal === "cpu-load")?.value };
  };

  it("drops whole days past the retention and keeps every current value", async () => {
    // The wall clock at noon UTC (today's date), frozen while the lane runs.
    const noon = utcDay(Date.now()) + DAY / 2;
    vi.useFakeTimers({ toFake: ["Date"], now: noon });
    // One component per day of history: 5, 3, 2 and 1 day(s) old, and today.
    const ages = [5, 3, 2, 1, 0];
    for (const [i, age] of ages.entries()) await write(i, noon - age * DAY, 100 + age);
    // The newest value of component 5 is old too: its only sample is 5 days back.
    await write(5, noon - 5 * DAY - 60_000, 7);
    const before = await partitions();
    for (const age of ages) expect(before).toContain(partitionName(noon - age * DAY));

    // Retention 2 days: the cut is noon two days ago; a day goes only when wholly before it.
    runClock(2);
    await until(async () => !(await partitions()).includes(partitionName(noon - 3 * DAY)));
    await until(async () => (await partitions()).includes(partitionName(noon + 2 * DAY)));
    const after = await partitions();
    expect(after).not.toContain(partitionName(noon - 5 * DAY));
    expect(after).not.toContain(partitionName(noon - 3 * DAY));
    for (const d of [-2, -1, 0, 1, 2]) expect(after).toContain(partitionName(noon + d * DAY));
    expect(lines.some((l) => l.includes(partitionName(noon - 3 * DAY)))).toBe(true);

    // History: gone with its day, kept otherwise; current values: all kept.
    expect(await seen(0)).toEqual({ samples: 0, value: 105 });
    expect(await seen(1)).toEqual({ samples: 0, value: 103 });
    expect(await seen(2)).toEqual({ samples: 1, value: 102 });
    expect(await seen(3)).toEqual({ samples: 1, value: 101 });
    expect(await seen(4)).toEqual({ samples: 1, value: 100 });
    expect(await seen(5)).toEqual({ samples: 0, value: 7 });
    expect(errors).toEqual([]);
  });

  it("moves the boundary at UTC midnight: yesterday's partition stays, the day before goes, one more day ahead", async () => {
    const today = utcDay(Date.now());
    const beforeMidnight = today + DAY - 500;
    vi.useFakeTimers({ toFake: ["Date"], now: beforeMidnight });
    // Late in the day: samples of today and of yesterday.
    await write(6, today + 1_000, 200);
    await write(7, today - DAY + 1_000, 201);

    // Retention 1 day, half a second before midnight: yesterday is not wholly past the cut.
    runClock(1);
    await until(async () => (await partitions()).includes(partitionName(today + 2 * DAY)));
    await new Promise((r) => setTimeout(r, 300)); // a few more passes at the same instant
    let names = await partitions();
    expect(names).toContain(partitionName(today - DAY));
    expect(names).toContain(partitionName(today));
    expect(names).not.toContain(partitionName(today - 2 * DAY));
    expect(names).not.toContain(partitionName(today + 3 * DAY));
    expect((await seen(7)).samples).toBeGreaterThanOrEqual(1);

    // One second later it is tomorrow: today becomes yesterday (kept), yesterday goes, and the
    // partition three days ahead of the old today appears.
    vi.setSystemTime(today + DAY + 500);
    await until(async () => !(await partitions()).includes(partitionName(today - DAY)));
    await until(async () => (await partitions()).includes(partitionName(today + 3 * DAY)));
    names = await partitions();
    expect(names).toContain(partitionName(today));
    expect(names).toContain(partitionName(today + DAY));
    expect(await seen(7)).toEqual({ samples: 0, value: 201 });
    expect((await seen(6)).samples).toBeGreaterThanOrEqual(1);
    expect(errors).toEqual([]);
  });
});
