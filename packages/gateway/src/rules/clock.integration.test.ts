import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { createTestDatabase, type TestDatabase } from "../testing";
import { unsafeSeedPolledComponents, type PolledEstate } from "../telemetry/fixtures";
import { unsafeWriteSamples, type IncomingSample } from "../telemetry/ingest";
import { staleSeries, unsafeRecordNodeHeartbeat, unsafeStalePass } from "../telemetry/freshness";
import { unsafeSyncNodeAlarms } from "../nodes/node-alarms";
import { COLLECTOR_DOWN_RULE_ID } from "../nodes/collector-rule";
import { dueEpisodes, unsafeElapseDueEpisodes } from "./clock-due";
import { forgetRuleCache } from "./rule-cache";

/*
 * The clock (issue #13, Time and Collectors): sustain periods ending with no later sample,
 * no-data rules judged when a series turns stale, and a collector that stops heartbeating told
 * apart from its devices. Time is injected (`now`): every test runs in sample time, in seconds.
 */
describe("the clock's passes", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  let polled: PolledEstate;
  let silent: PolledEstate;
  let collector: PolledEstate;
  let late: PolledEstate;
  const t0 = Date.now() - 30 * 60_000;
  const at = (s: number) => new Date(t0 + s * 1000);

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    other = connectDatabase({ url: database.url, max: 3 });
    const seed = (name: string, components: number) =>
      unsafeSeedPolledComponents(handle.db, { name, components, template: "http-json-display" });
    polled = await seed("clock-polled", 8);
    silent = await seed("clock-silent", 2);
    collector = await seed("clock-collector", 2);
    late = await seed("clock-late", 1);
  });
  afterAll(async () => {
    await handle.close();
    await other.close();
    await database.drop();
  });

  const ms = (v: unknown) => new Date(v as string).getTime();
  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const sample = (
    component: string,
    signal: string,
    s: number,
    value: unknown,
    expectedIntervalMs = 30_000,
  ): IncomingSample => ({
    ownerKind: "component",
    ownerId: component,
    signal,
    instance: "",
    ts: t0 + s * 1000,
    value,
    expectedIntervalMs,
  });
  const write = (estate: PolledEstate, samples: IncomingSample[]) =>
    unsafeWriteSamples(handle.db, { sourceId: estate.nodeId, provenance: "observed", samples });
  const beat = (estate: PolledEstate, s: number) =>
    unsafeRecordNodeHeartbeat(handle.db, {
      nodeId: estate.nodeId,
      version: "test",
      hostname: "test",
      startedAt: at(0).toISOString(),
      beatAt: at(s).toISOString(),
      intervalMs: 10_000,
      worklistEtag: null,
      tasks: 1,
      functions: 1,
      running: 0,
      buffered: 0,
      published: 0,
      lastError: null,
    });
  const alarmsOf = (component: string, rule?: string) =>
    rows<{ id: string; lifecycle: string; opened_at: Date; resolved_at: Date | null }>(sql`
      select a.id, a.lifecycle, a.opened_at, a.resolved_at from alarm a join event_rule r on r.id = a.rule_id
      where a.component_id = ${component} ${rule ? sql`and r.name = ${rule}` : sql``}
      order by a.opened_at`);
  const eventsOf = (alarm: string) =>
    rows<{ kind: string; at: Date }>(
      sql`select kind, at from alarm_event where alarm_id = ${alarm} order by seq`,
    );
  const episodeOf = async (component: string, rule: string) =>
    (
      await rows<{ phase: string; due_at: Date | null }>(sql`
        select e.phase, e.due_at from rule_episode e join event_rule r on r.id = e.rule_id
        where e.component_id = ${component} and r.name = ${rule}`)
    )[0];
  const noDataRule = async (name: string, component: string, sustainSeconds = 0) => {
    await handle.db.execute(sql`
      insert into event_rule (id, name, severity, fire, sustain_seconds, scope_kind,
        scope_component_id, origin)
      values (${uuidv7()}, ${name}, 'warning', 'fresh["temperature"] == false', ${sustainSeconds},
        'owner', ${component}, 'custom')`);
    forgetRuleCache();
  };

  it("opens a sustained alarm when its period ends with no later sample, dated when it ended, once", async () => {
    const c = polled.componentIds[0]!;
    await beat(polled, 100);
    await write(polled, [sample(c, "reachable", 0, false)]);
    await write(polled, [sample(c, "reachable", 60, false)]);
    await write(polled, [sample(c, "reachable", 90, false)]);
    expect(await episodeOf(c, "unreachable")).toMatchObject({ phase: "pending" });
    expect((await unsafeElapseDueEpisodes(handle.db, { now: at(119) })).taken).toBe(0);

    const pass = await unsafeElapseDueEpisodes(handle.db, { now: at(120.5) });
    expect(pass.taken).toBe(1);
    expect(pass.alarms).toMatchObject([
      { kind: "opened", componentId: c, owner: { kind: "component", id: c } },
    ]);
    expect(pass.componentIds).toEqual([c]);
    const [open, ...more] = await alarmsOf(c, "unreachable");
    expect(more).toEqual([]);
    expect(ms(open!.opened_at)).toBe(t0 + 120_000);
    expect((await eventsOf(open!.id)).map((e) => e.kind)).toEqual(["fired"]);
    expect(await episodeOf(c, "unreachable")).toEqual({ phase: "firing", due_at: null });

    // Nothing is due any more; a later sample that still fires changes nothing either.
    expect((await unsafeElapseDueEpisodes(handle.db, { now: at(125) })).taken).toBe(0);
    await write(polled, [sample(c, "reachable", 150, false)]);
    expect(await alarmsOf(c, "unreachable")).toHaveLength(1);
  });

  it("does not open on a value gone stale before the end of the period: the next sample decides", async () => {
    const c = polled.componentIds[1]!;
    await write(polled, [sample(c, "reachable", 0, false)]);
    const pass = await unsafeElapseDueEpisodes(handle.db, { now: at(121) });
    expect(pass).toMatchObject({ taken: 1, alarms: [] });
    expect(await alarmsOf(c)).toEqual([]);
    // Parked: still pending, no longer due; not taken again.
    expect(await episodeOf(c, "unreachable")).toEqual({ phase: "pending", due_at: null });
    expect((await unsafeElapseDueEpisodes(handle.db, { now: at(122) })).taken).toBe(0);
    await write(polled, [sample(c, "reachable", 130, true)]);
    expect(await episodeOf(c, "unreachable")).toEqual({ phase: "ok", due_at: null });
    expect(await alarmsOf(c)).toEqual([]);
  });

  it("two workers' sustain passes split the due episodes: one alarm and one fired event each", async () => {
    const cs = polled.componentIds.slice(2, 8);
    await beat(polled, 110);
    for (const c of cs) {
      await write(polled, [sample(c, "reachable", 0, false)]);
      await write(polled, [sample(c, "reachable", 100, false)]);
    }
    const passes = await Promise.all([
      unsafeElapseDueEpisodes(handle.db, { now: at(121), limit: 4 }),
      unsafeElapseDueEpisodes(other.db, { now: at(121), limit: 4 }),
      unsafeElapseDueEpisodes(other.db, { now: at(121), limit: 4 }),
    ]);
    expect(passes.reduce((n, p) => n + p.taken, 0)).toBe(cs.length);
    expect(passes.flatMap((p) => p.alarms)).toHaveLength(cs.length);
    for (const c of cs) {
      const alarms = await alarmsOf(c, "unreachable");
      expect(alarms).toHaveLength(1);
      expect(ms(alarms[0]!.opened_at)).toBe(t0 + 120_000);
      expect((await eventsOf(alarms[0]!.id)).map((e) => e.kind)).toEqual(["fired"]);
    }
  });

  it("judges a period as it stood when it ended: judged late, stale by the clock, it still opens dated then", async () => {
    // A worker down for minutes, or a node replaying its buffer: the value (fresh until 160) is
    // stale by the clock at 400 but held when the period ended at 120.
    const c = late.componentIds[0]!;
    await beat(late, 395);
    await write(late, [sample(c, "reachable", 0, false), sample(c, "reachable", 100, false)]);
    await unsafeStalePass(handle.db, { now: at(399) });
    const pass = await unsafeElapseDueEpisodes(handle.db, { now: at(400) });
    expect(pass.alarms.filter((a) => a.componentId === c)).toHaveLength(1);
    const [alarm] = await alarmsOf(c, "unreachable");
    expect(ms(alarm!.opened_at)).toBe(t0 + 120_000);
  });

  it("judges a no-data rule when its series turns stale, exactly once with two workers racing", async () => {
    const c = silent.componentIds[0]!;
    await noDataRule("clock-no-data-race", c);
    await beat(silent, 50);
    await write(silent, [sample(c, "temperature", 0, 41.5)]);
    // Stale at 60; its node (last beat at 50) is online until 80: the episode waits as pending.
    const passes = await Promise.all([
      unsafeStalePass(handle.db, { now: at(61) }),
      unsafeStalePass(other.db, { now: at(61) }),
    ]);
    expect(passes.filter((p) => p.componentIds.includes(c))).toHaveLength(1);
    expect(passes.flatMap((p) => p.alarms).filter((a) => a.componentId === c)).toEqual([]);
    const events = await rows<{ n: number }>(sql`
      select count(*)::int as n from freshness_event f join series s on s.id = f.series_id
      where s.component_id = ${c} and f.state = 'stale'`);
    expect(events[0]!.n).toBe(1);
    const episode = await episodeOf(c, "clock-no-data-race");
    expect(episode).toMatchObject({ phase: "pending" });
    expect(ms(episode!.due_at)).toBe(t0 + 80_001);
    expect((await unsafeStalePass(handle.db, { now: at(62) })).componentIds.includes(c)).toBe(
      false,
    );

    // The node beat again: the silence is the device's. Two sustain passes open one alarm,
    // dated when the series turned stale.
    await beat(silent, 75);
    const due = await Promise.all([
      unsafeElapseDueEpisodes(handle.db, { now: at(81) }),
      unsafeElapseDueEpisodes(other.db, { now: at(81) }),
    ]);
    expect(due.flatMap((p) => p.alarms).filter((a) => a.componentId === c)).toHaveLength(1);
    const [alarm, ...more] = await alarmsOf(c, "clock-no-data-race");
    expect(more).toEqual([]);
    expect(ms(alarm!.opened_at)).toBe(t0 + 61_000);
    expect((await eventsOf(alarm!.id)).map((e) => e.kind)).toEqual(["fired"]);
    // The next sample is fresh: the rule stops firing and the alarm resolves (ingest's half).
    await write(silent, [sample(c, "temperature", 90, 41)]);
    expect((await alarmsOf(c, "clock-no-data-race"))[0]).toMatchObject({ lifecycle: "resolved" });
  });

  it("holds a no-data alarm until its collector is known alive past the silence, dated when it began", async () => {
    const c = polled.componentIds[0]!;
    await noDataRule("clock-no-data-held", c);
    await beat(polled, 150);
    await write(polled, [sample(c, "temperature", 150, 40)]);
    // Stale at 210. The node beat at 200, so it is online until 230: it could still turn out
    // down, and a down collector proves nothing. The episode waits until then, pending.
    await beat(polled, 200);
    const pass = await unsafeStalePass(handle.db, { now: at(211) });
    expect(pass.alarms.filter((a) => a.componentId === c)).toEqual([]);
    const episode = await episodeOf(c, "clock-no-data-held");
    expect(episode).toMatchObject({ phase: "pending" });
    expect(ms(episode!.due_at)).toBe(t0 + 230_001);
    expect((await unsafeElapseDueEpisodes(handle.db, { now: at(229) })).alarms).toEqual([]);
    await beat(polled, 225);
    const due = await unsafeElapseDueEpisodes(handle.db, { now: at(231) });
    expect(due.alarms.filter((a) => a.componentId === c)).toHaveLength(1);
    const [alarm] = await alarmsOf(c, "clock-no-data-held");
    expect(ms(alarm!.opened_at)).toBe(t0 + 211_000);
  });

  it("a collector that stops heartbeating raises one node alarm, silences its components' no-data rules, and resolves when it beats again", async () => {
    // Near the real time: the health writer judges liveness by the database's clock.
    const [c0, c1] = collector.componentIds as [string, string];
    await noDataRule("clock-no-data-collector", c0);
    const tc = Date.now();
    const now = (s: number) => new Date(tc + s * 1000);
    const near = (c: string, signal: string, s: number, value: unknown, iv = 30_000) => ({
      ...sample(c, signal, 0, value, iv),
      ts: tc + s * 1000,
    });
    const beatAt = (ms: number) => beat(collector, (ms - t0) / 1000);
    await beatAt(tc - 5_000);
    // c1's value stays fresh for 10 min: only its collector being down stops the sustain pass.
    await write(collector, [
      near(c0, "temperature", -5, 40),
      near(c1, "reachable", -5, false, 300_000),
    ]);
    expect(await episodeOf(c1, "unreachable")).toMatchObject({ phase: "pending" });
    const healthOf = (c: string) =>
      rows<{ verdict: string; causes: { kind: string; node?: string }[] }>(
        sql`select verdict, causes from health where component_id = ${c}`,
      );
    expect((await healthOf(c0))[0]?.verdict).toBe("healthy");

    // The node stops: its last heartbeat was 40 s ago, offline since 10 s ago (three 10 s
    // intervals). Two workers' node passes open one alarm.
    await handle.db.execute(
      sql`update node set last_seen_at = ${new Date(tc - 40_000).toISOString()}::timestamptz where id = ${collector.nodeId}`,
    );
    const down = await Promise.all([
      unsafeSyncNodeAlarms(handle.db, { now: now(0) }),
      unsafeSyncNodeAlarms(other.db, { now: now(0) }),
    ]);
    const ours = down.flatMap((p) => p.alarms).filter((a) => a.owner.id === collector.nodeId);
    expect(ours).toMatchObject([{ kind: "opened", owner: { kind: "node" }, componentId: null }]);
    await unsafeSyncNodeAlarms(handle.db, { now: now(1) });
    const nodeAlarms = () =>
      rows<{
        id: string;
        lifecycle: string;
        opened_at: Date;
        resolved_at: Date | null;
        severity: string;
      }>(sql`
        select id, lifecycle, opened_at, resolved_at, severity from alarm
        where owner_kind = 'node' and node_id = ${collector.nodeId} and rule_id = ${COLLECTOR_DOWN_RULE_ID}`);
    const [nodeAlarm, ...moreNode] = await nodeAlarms();
    expect(moreNode).toEqual([]);
    expect(nodeAlarm).toMatchObject({ lifecycle: "open", severity: "critical" });
    expect(ms(nodeAlarm!.opened_at)).toBe(tc - 10_000);
    expect(
      (
        await rows<{ origin: string; owner_kind: string }>(
          sql`select origin, owner_kind from event_rule where id = ${COLLECTOR_DOWN_RULE_ID}`,
        )
      )[0],
    ).toEqual({ origin: "builtin", owner_kind: "node" });
    // What only it polls turned unknown (collector down) in the node pass's own transaction.
    expect(down.flatMap((p) => p.health)).toContainEqual(
      expect.objectContaining({ ownerKind: "component", ownerId: c0, verdict: "unknown" }),
    );
    expect(await healthOf(c0)).toMatchObject([
      { verdict: "unknown", causes: [{ kind: "collector-down", node: "clock-collector-node" }] },
    ]);

    // Its components' silence is the node's: neither the stale pass nor the sustain pass opens.
    const stale = await unsafeStalePass(handle.db, { now: now(56) });
    expect(stale.componentIds).toContain(c0);
    expect(stale.alarms.filter((a) => a.componentId === c0 || a.componentId === c1)).toEqual([]);
    expect(await episodeOf(c0, "clock-no-data-collector")).toBeUndefined();
    await unsafeElapseDueEpisodes(handle.db, { now: now(116) });
    expect(await alarmsOf(c0)).toEqual([]);
    expect(await alarmsOf(c1)).toEqual([]);
    // c1's sustained rule is parked (the next sample decides), c0's no-data rule never began.
    expect(await episodeOf(c1, "unreachable")).toEqual({ phase: "pending", due_at: null });

    // It heartbeats again: the node alarm resolves, dated by that heartbeat, and the silence that
    // outlives its return (two of the series' intervals) is the device's.
    await beatAt(tc + 57_000);
    const up = await unsafeSyncNodeAlarms(handle.db, { now: now(57.5) });
    // (The pass judges every node: other tests' nodes may turn here too.)
    expect(up.nodes.filter((n) => n.id === collector.nodeId)).toEqual([
      { id: collector.nodeId, name: "clock-collector-node", state: "up" },
    ]);
    const [resolved] = await nodeAlarms();
    expect(resolved).toMatchObject({ lifecycle: "resolved" });
    expect(ms(resolved!.resolved_at)).toBe(tc + 57_000);
    const held = await episodeOf(c0, "clock-no-data-collector");
    expect(held).toMatchObject({ phase: "pending" });
    expect(ms(held!.due_at)).toBe(tc + 117_500);
    await beatAt(tc + 116_000); // it keeps beating through the hold
    const due = await unsafeElapseDueEpisodes(handle.db, { now: now(118) });
    expect(due.alarms.filter((a) => a.componentId === c0)).toHaveLength(1);
    expect(ms((await alarmsOf(c0, "clock-no-data-collector"))[0]!.opened_at)).toBe(tc + 57_500);
  });

  it("the clock's hot reads stay on their partial indexes", async () => {
    // EXPLAIN without ANALYZE plans the statements and runs nothing.
    const plan = (q: ReturnType<typeof sql>) =>
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const r = await tx.execute(sql`explain ${q}`);
        return (r.rows as { "QUERY PLAN": string }[]).map((x) => x["QUERY PLAN"]).join("\n");
      });
    expect(await plan(dueEpisodes(Date.now(), 500))).toContain("rule_episode_due_idx");
    expect(await plan(staleSeries(new Date().toISOString()))).toContain("series_stale_at_idx");
  });

  it("drains a backlog of stale series in bounded passes, each turned once", async () => {
    const cs = polled.componentIds.slice(5, 8);
    for (const c of cs) await write(polled, [sample(c, "temperature", 400, 40)]);
    const turned: number[] = [];
    for (let i = 0; i < 10; i++) {
      const pass = await unsafeStalePass(handle.db, { now: at(461), limit: 2 });
      turned.push(pass.turned);
      if (pass.turned < 2) break;
    }
    expect(Math.max(...turned)).toBeLessThanOrEqual(2);
    expect(turned.length).toBeGreaterThanOrEqual(2);
    const events = await rows<{ c: string; n: number }>(sql`
      select s.component_id as c, count(*)::int as n from freshness_event f
      join series s on s.id = f.series_id join signal g on g.id = s.signal_id
      where s.component_id = any(${`{${cs.join(",")}}`}::uuid[]) and g.name = 'temperature'
        and f.state = 'stale'
      group by s.component_id`);
    expect(events.map((e) => e.n)).toEqual([1, 1, 1]);
  });
});
