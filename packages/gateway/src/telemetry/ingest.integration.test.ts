import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { createTestDatabase, type TestDatabase } from "../testing";
import { unsafeSeedPolledComponents, type PolledEstate } from "./fixtures";
import { unsafeWriteSamples, type IncomingSample } from "./ingest";
import {
  listSamplePartitions,
  partitionName,
  unsafeDropExpiredPartitions,
  unsafeEnsureCurrentPartitions,
} from "./partitions";
import { unsafeMarkStale } from "./freshness";
import { unsafeLoadNodeAssignments, assignmentKey } from "./assignments";

const DAY = 86_400_000;

describe("telemetry writer", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let estate: PolledEstate;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "ingest-test", components: 3 });
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const cpu = (component: string, ts: number, value: unknown): IncomingSample => ({
    ownerKind: "component",
    ownerId: component,
    signal: "cpu-load",
    instance: "",
    ts,
    value,
    expectedIntervalMs: 60_000,
  });

  it("stores history and the newest current value, creating the day's partition on demand", async () => {
    const now = Date.now();
    const c = estate.componentIds[0]!;
    const result = await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [cpu(c, now - 2_000, 10), cpu(c, now - 1_000, 30), cpu(c, now - 3_000, 5)],
    });
    expect(result).toMatchObject({
      accepted: 3,
      rejected: [],
      changed: [{ ownerKind: "component", ownerId: c, signals: ["cpu-load"] }],
      alarms: [],
    });
    // Its first value: the component is judged in this commit (its first verdict).
    expect(result.health).toContainEqual(
      expect.objectContaining({ ownerKind: "component", ownerId: c, previous: null }),
    );
    const partitions = await listSamplePartitions(handle.db);
    expect(partitions.map((p) => p.name)).toContain(partitionName(now));
    const [series] = await rows<{ value: unknown; ts: Date; state: string; stale_at: Date }>(
      sql`select value, ts, state, stale_at from series where component_id = ${c}`,
    );
    expect(series).toMatchObject({ value: 30, state: "fresh" });
    expect(new Date(series!.ts).getTime()).toBe(now - 1_000);
    expect(new Date(series!.stale_at).getTime()).toBe(now - 1_000 + 120_000);

    // Redelivery: idempotent history, the current value does not move back.
    const again = await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [cpu(c, now - 2_000, 10), cpu(c, now - 1_000, 30), cpu(c, now - 3_000, 5)],
    });
    expect(again.accepted).toBe(3);
    expect(again.changed).toEqual([]);
    const [count] = await rows<{ n: number }>(
      sql`select count(*)::int as n from sample s join series r on r.id = s.series_id where r.component_id = ${c}`,
    );
    expect(count!.n).toBe(3);
    const older = await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [cpu(c, now - 10_000, 99)],
    });
    expect(older.changed).toEqual([]);
    const [after] = await rows<{ value: unknown }>(
      sql`select value from series where component_id = ${c}`,
    );
    expect(after!.value).toBe(30);
  });

  it("rejects unregistered signals, invalid values, bad timestamps and unknown owners, and counts them", async () => {
    const now = Date.now();
    const c = estate.componentIds[1]!;
    const result = await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [
        { ...cpu(c, now, 1), signal: "no-such-signal" },
        cpu(c, now, "high"),
        cpu(c, now + 10 * 60_000, 1),
        cpu(c, now - 40 * DAY, 1),
        cpu("0190a0a0-0000-7000-8000-000000000000", now, 1),
        {
          ownerKind: "component",
          ownerId: c,
          signal: "link-state",
          instance: "1",
          ts: now,
          value: "sideways",
          expectedIntervalMs: null,
        },
        cpu(c, now, 42),
      ],
      rejections: [{ componentId: c, signal: "uptime", reason: "device-error", detail: "timeout" }],
    });
    expect(result.accepted).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([
      [0, "unregistered-signal"],
      [1, "invalid-value"],
      [2, "bad-timestamp"],
      [3, "bad-timestamp"],
      [4, "unknown-owner"],
      [5, "invalid-value"],
    ]);
    expect(result.rejected[1]!.detail).toMatch(/^cpu-load:/);
    expect(result.rejected[5]!.detail).toMatch(/^link-state:/);
    const counts = await rows<{
      signal: string;
      reason: string;
      count: string;
      component_id: string | null;
    }>(
      sql`select signal, reason, count, component_id from sample_rejection where source_id = ${estate.nodeId} order by signal, reason`,
    );
    expect(counts.map((r) => [r.signal, r.reason, Number(r.count)])).toEqual([
      ["cpu-load", "bad-timestamp", 2],
      ["cpu-load", "invalid-value", 1],
      ["cpu-load", "unknown-owner", 1],
      ["link-state", "invalid-value", 1],
      ["no-such-signal", "unregistered-signal", 1],
      ["uptime", "device-error", 1],
    ]);
    // The unknown component is counted without one.
    expect(counts.find((r) => r.reason === "unknown-owner")!.component_id).toBeNull();
    // Counting again adds up.
    await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [{ ...cpu(c, now, 1), signal: "no-such-signal" }],
    });
    const [again] = await rows<{ count: string }>(
      sql`select count from sample_rejection where signal = 'no-such-signal'`,
    );
    expect(Number(again!.count)).toBe(2);
  });

  it("marks series stale past twice their interval, and fresh again on the next value", async () => {
    const c = estate.componentIds[2]!;
    const t0 = Date.now() - 5_000;
    await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [{ ...cpu(c, t0, 1), expectedIntervalMs: 1_000 }],
    });
    const changed = await unsafeMarkStale(handle.db, new Date());
    expect(changed).toContainEqual({ ownerKind: "component", ownerId: c, signals: ["cpu-load"] });
    expect(await unsafeMarkStale(handle.db, new Date())).toEqual([]);
    const back = await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [{ ...cpu(c, Date.now(), 2), expectedIntervalMs: 60_000 }],
    });
    expect(back.changed).toHaveLength(1);
    const events = await rows<{ state: string }>(sql`
      select e.state from freshness_event e join series s on s.id = e.series_id
      where s.component_id = ${c} order by e.id`);
    expect(events.map((e) => e.state)).toEqual(["stale", "fresh"]);
  });

  it("knows what a node polls", async () => {
    const a = await unsafeLoadNodeAssignments(handle.db, estate.nodeId);
    expect(a.exists).toBe(true);
    expect(a.intervals.get(assignmentKey(estate.componentIds[0]!, "cpu-load"))).toBeGreaterThan(0);
    expect(a.intervals.has(assignmentKey(estate.componentIds[0]!, "power-state"))).toBe(false);
    const none = await unsafeLoadNodeAssignments(handle.db, "0190a0a0-0000-7000-8000-000000000001");
    expect(none).toMatchObject({ exists: false });
    expect(none.intervals.size).toBe(0);
  });

  it("keeps partitions ahead and drops only those wholly past the retention", async () => {
    const now = Date.now();
    await unsafeEnsureCurrentPartitions(handle.db, now);
    const c = estate.componentIds[0]!;
    // A sample 20 days old creates its day; with a 10-day retention that day goes, the series' value stays.
    const old = now - 20 * DAY;
    await unsafeWriteSamples(handle.db, {
      sourceId: estate.nodeId,
      provenance: "observed",
      samples: [{ ...cpu(c, old, 7), instance: "old" }],
    });
    const names = (await listSamplePartitions(handle.db)).map((p) => p.name);
    for (const d of [-1, 0, 1, 2]) expect(names).toContain(partitionName(now + d * DAY));
    expect(names).toContain(partitionName(old));
    const dropped = await unsafeDropExpiredPartitions(handle.db, { retentionDays: 10, now });
    expect(dropped).toEqual([partitionName(old)]);
    const left = (await listSamplePartitions(handle.db)).map((p) => p.name);
    expect(left).toContain(partitionName(now - DAY));
    const [series] = await rows<{ value: unknown }>(
      sql`select value from series where component_id = ${c} and instance = 'old'`,
    );
    expect(series!.value).toBe(7);
  });
});
