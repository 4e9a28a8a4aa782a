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
 * Event rules judged on ingest (issue #13): the official template rules fire from samples, one
 * alarm per (rule, owner, instance) whatever the number of writers, resolved by the clear sample.
 */
describe("event rules on ingest", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  let estate: PolledEstate;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    other = connectDatabase({ url: database.url, max: 3 });
    estate = await unsafeSeedPolledComponents(handle.db, {
      name: "detect-test",
      components: 6,
      template: "http-json-display",
    });
  });
  afterAll(async () => {
    await handle.close();
    await other.close();
    await database.drop();
  });

  const ms = (v: unknown) => new Date(v as string).getTime();
  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const reachable = (component: string, ts: number, value: boolean): IncomingSample => ({
    ownerKind: "component",
    ownerId: component,
    signal: "reachable",
    instance: "",
    ts,
    value,
    expectedIntervalMs: 30_000,
  });
  const write = (samples: IncomingSample[], db = handle.db) =>
    unsafeWriteSamples(db, { sourceId: estate.nodeId, provenance: "observed", samples });
  const alarmsOf = (component: string) =>
    rows<{
      id: string;
      lifecycle: string;
      opened_at: Date;
      resolved_at: Date | null;
      resolved_by: string | null;
      severity: string;
      summary: string;
      flapping: boolean;
      fired_sample_at: Date;
      acknowledged_at: Date | null;
    }>(sql`select a.* from alarm a join event_rule r on r.id = a.rule_id
      where a.component_id = ${component} and r.name = 'unreachable' order by a.opened_at`);
  const eventsOf = (alarm: string) =>
    rows<{ seq: number; kind: string; at: Date; sample_at: Date | null; value: unknown }>(
      sql`select seq, kind, at, sample_at, value from alarm_event where alarm_id = ${alarm} order by seq`,
    );

  it("materialises the official templates' rules as template rules", async () => {
    const rules = await rows<{ name: string; sustain_seconds: number; origin: string }>(sql`
      select r.name, r.sustain_seconds, r.origin from event_rule r
      join template t on t.id = r.template_id where t.name = 'http-json-display'`);
    expect(rules).toContainEqual({ name: "unreachable", sustain_seconds: 120, origin: "template" });
  });

  it("opens one alarm when reachable=false holds past `for: 2m` of sample time, resolves on the clear sample", async () => {
    const c = estate.componentIds[0]!;
    const t0 = Date.now() - 10 * 60_000;
    await write([reachable(c, t0 - 30_000, true)]);
    await write([reachable(c, t0, false)]);
    await write([reachable(c, t0 + 60_000, false)]);
    expect(await alarmsOf(c)).toEqual([]);
    await write([reachable(c, t0 + 130_000, false)]);
    await write([reachable(c, t0 + 160_000, false)]);
    const [open, ...more] = await alarmsOf(c);
    expect(more).toEqual([]);
    expect(open).toMatchObject({ lifecycle: "open", severity: "critical", flapping: false });
    expect(ms(open!.opened_at)).toBe(t0 + 120_000);
    expect(ms(open!.fired_sample_at)).toBe(t0 + 130_000);
    expect(open!.summary).toContain("detect-test.device-1");

    await write([reachable(c, t0 + 200_000, true)]);
    const [resolved] = await alarmsOf(c);
    expect(resolved).toMatchObject({ lifecycle: "resolved", resolved_by: null });
    expect(ms(resolved!.resolved_at)).toBe(t0 + 200_000);
    const events = await eventsOf(open!.id);
    expect(events.map((e) => e.kind)).toEqual(["fired", "resolved"]);
    expect(ms(events[0]!.sample_at)).toBe(t0 + 130_000);
    expect(events[0]!.value).toEqual({ reachable: false });
    expect(ms(events[1]!.at)).toBe(t0 + 200_000);
  });

  it("opens it from one batch spanning the sustain period, dated when the period ended", async () => {
    const c = estate.componentIds[1]!;
    const t0 = Date.now() - 10 * 60_000;
    await write([0, 30, 60, 90, 121].map((s) => reachable(c, t0 + s * 1000, false)));
    const alarms = await alarmsOf(c);
    expect(alarms).toHaveLength(1);
    expect(ms(alarms[0]!.opened_at)).toBe(t0 + 120_000);
  });

  it("two writers (two pools) racing on the same episode open one alarm with one fired event", async () => {
    const c = estate.componentIds[2]!;
    const t0 = Date.now() - 10 * 60_000;
    await write([reachable(c, t0, false)]);
    for (let round = 0; round < 3; round++) {
      const at = t0 + 130_000 + round * 1000;
      await Promise.all([
        write([reachable(c, at, false)], handle.db),
        write([reachable(c, at + 500, false)], other.db),
      ]);
    }
    const alarms = await alarmsOf(c);
    expect(alarms).toHaveLength(1);
    expect((await eventsOf(alarms[0]!.id)).map((e) => e.kind)).toEqual(["fired"]);
  });

  it("a rule that re-fires within its flap window reopens the same alarm and turns flapping", async () => {
    const c = estate.componentIds[3]!;
    const ruleId = uuidv7();
    await handle.db.execute(sql`
      insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind,
        scope_component_id, origin, flap_window_seconds, flap_threshold)
      values (${ruleId}, 'flappy', 'warning', 'signals["reachable"] == false', 0, 'owner', ${c},
        'custom', 600, 4)`);
    forgetRuleCache();
    const t0 = Date.now() - 8 * 60_000;
    for (let i = 0; i < 6; i++) await write([reachable(c, t0 + i * 10_000, i % 2 === 1)]);
    const alarms = await rows<{ id: string; lifecycle: string; flapping: boolean }>(
      sql`select id, lifecycle, flapping from alarm where rule_id = ${ruleId}`,
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ lifecycle: "resolved", flapping: true });
    expect((await eventsOf(alarms[0]!.id)).map((e) => e.kind)).toEqual([
      "fired",
      "resolved",
      "reopened",
      "resolved",
      "reopened",
      "flapping",
      "resolved",
    ]);
  });

  it("a redelivered older sample does not replay the episode", async () => {
    const c = estate.componentIds[1]!;
    const t0 = Date.now() - 10 * 60_000;
    await write([reachable(c, t0 + 90_000, false)]);
    expect(await alarmsOf(c)).toHaveLength(1);
  });
});
