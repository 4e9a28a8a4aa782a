import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { createTestDatabase, type TestDatabase } from "../testing";
import { unsafeSeedPolledComponents, type PolledEstate } from "../telemetry/fixtures";
import { unsafeWriteSamples, type IncomingSample } from "../telemetry/ingest";
import { forgetRuleCache } from "./rule-cache";

/*
 * Rule evaluation on ingest under contention (issue #13): an episode that does not move takes no
 * row lock and writes nothing, so two writers of the same firing series neither queue on the
 * episodes nor double an alarm or a transition; and the per-process component facts follow a
 * membership change at the next batch.
 */
describe("event rules on ingest, two writers", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  let holder: DatabaseHandle;
  let estate: PolledEstate;
  let ruleId: string;
  const INSTANCES = 5;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    other = connectDatabase({ url: database.url, max: 3 });
    holder = connectDatabase({ url: database.url, max: 1 });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "contention", components: 4 });
    // Fires on every sample the test writes, at once (no sustain).
    ruleId = uuidv7();
    await handle.db.execute(sql`
      insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind,
        scope_location_id, origin)
      values (${ruleId}, 'busy', 'warning', 'signals["cpu-load"] > 50', 0, 'location',
        ${estate.locationId}, 'custom')`);
    forgetRuleCache();
  });
  afterAll(async () => {
    await handle.close();
    await other.close();
    await holder.close();
    await database.drop();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const cpu = (component: string, instance: number, ts: number, value: number): IncomingSample => ({
    ownerKind: "component",
    ownerId: component,
    signal: "cpu-load",
    instance: `cpu-${instance}`,
    ts,
    value,
    expectedIntervalMs: 30_000,
  });
  const everySeries = (ts: number, value: number) =>
    estate.componentIds.flatMap((c) =>
      Array.from({ length: INSTANCES }, (_, i) => cpu(c, i, ts, value)),
    );
  const write = (samples: IncomingSample[], db = handle.db) =>
    unsafeWriteSamples(db, { sourceId: estate.nodeId, provenance: "observed", samples });

  it("two writers of the same firing series: one alarm and one fired event per series, in bounded time", async () => {
    const t0 = Date.now() - 20 * 60_000;
    const started = performance.now();
    for (let round = 0; round < 40; round++) {
      const at = t0 + round * 1000;
      await Promise.all([
        write(everySeries(at, 95), handle.db),
        write(everySeries(at + 500, 96), other.db),
      ]);
    }
    const elapsedMs = performance.now() - started;
    // 80 batches of 20 samples; one batch a second (what the old locking path managed with two
    // workers) would take 80 s.
    expect(elapsedMs).toBeLessThan(30_000);

    const alarms = await rows<{ id: string; instance: string; component_id: string }>(
      sql`select id, instance, component_id from alarm where rule_id = ${ruleId}`,
    );
    expect(alarms).toHaveLength(estate.componentIds.length * INSTANCES);
    const events = await rows<{ kind: string; n: number }>(sql`
      select e.kind, count(*)::int as n from alarm_event e join alarm a on a.id = e.alarm_id
      where a.rule_id = ${ruleId} group by e.kind`);
    expect(events).toEqual([{ kind: "fired", n: alarms.length }]);
    const episodes = await rows<{ phase: string; n: number; since: Date }>(sql`
      select phase, count(*)::int as n, min(since) as since from rule_episode
      where rule_id = ${ruleId} group by phase`);
    expect(episodes).toMatchObject([{ phase: "firing", n: alarms.length }]);
    // Opened by whichever writer's first sample committed first.
    expect([t0, t0 + 500]).toContain(new Date(episodes[0]!.since).getTime());
  });

  it("an episode that does not move takes no row lock: a batch is not held up by a locked episode", async () => {
    const t1 = Date.now() - 10 * 60_000;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another transaction holds every episode of the rule (as a slow writer or the clock would).
    const holding = holder.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 from rule_episode where rule_id = ${ruleId} for update`);
      locked();
      await held;
    });
    await isLocked;
    const updatedBefore = await rows<{ at: Date }>(
      sql`select max(updated_at) as at from rule_episode where rule_id = ${ruleId}`,
    );
    const writing = write(everySeries(t1, 97));
    const outcome = await Promise.race([
      writing.then(() => "committed"),
      new Promise((resolve) => setTimeout(() => resolve("blocked"), 5_000)),
    ]);
    release();
    await holding;
    await writing;
    expect(outcome).toBe("committed");
    // Nothing was written to the episodes either.
    expect(
      await rows<{ at: Date }>(
        sql`select max(updated_at) as at from rule_episode where rule_id = ${ruleId}`,
      ),
    ).toEqual(updatedBefore);
  });

  it("an episode that moves is re-judged under its lock: the clear from the second writer resolves once", async () => {
    const t2 = Date.now() - 5 * 60_000;
    const c = estate.componentIds[0]!;
    await Promise.all([
      write([cpu(c, 0, t2, 10)], handle.db),
      write([cpu(c, 0, t2 + 100, 20)], other.db),
    ]);
    const [alarm] = await rows<{ id: string; lifecycle: string }>(sql`
      select id, lifecycle from alarm where rule_id = ${ruleId} and component_id = ${c}
        and instance = 'cpu-0'`);
    expect(alarm).toMatchObject({ lifecycle: "resolved" });
    const kinds = await rows<{ kind: string }>(
      sql`select kind from alarm_event where alarm_id = ${alarm!.id} order by seq`,
    );
    expect(kinds.map((k) => k.kind)).toEqual(["fired", "resolved"]);
  });

  it("a component that joins a system is judged by that system type's rules at the next batch", async () => {
    const c = estate.componentIds[1]!;
    const [type] = await rows<{ id: string }>(
      sql`select id from system_type order by name limit 1`,
    );
    const typedRule = uuidv7();
    await handle.db.execute(sql`
      insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind,
        scope_system_type_id, origin)
      values (${typedRule}, 'typed', 'info', 'signals["cpu-load"] > 50', 0, 'system-type',
        ${type!.id}, 'custom')`);
    forgetRuleCache();
    const t3 = Date.now() - 2 * 60_000;
    await write([cpu(c, 1, t3, 99)]);
    const count = async () =>
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from alarm where rule_id = ${typedRule}`,
        )
      )[0]!.n;
    expect(await count()).toBe(0);

    const systemId = uuidv7();
    await handle.db.execute(sql`
      insert into system (id, name, type_id, location_id, path)
      values (${systemId}, 'room', ${type!.id}, ${estate.locationId}, 'contention.room')`);
    await handle.db.execute(
      sql`insert into system_member (system_id, component_id) values (${systemId}, ${c})`,
    );
    await write([cpu(c, 1, t3 + 1000, 99)]);
    expect(await count()).toBe(1);
  });
});
