import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { loadActor } from "../identity/load-actor";
import { unsafeWriteSamples } from "../telemetry/ingest";
import { getHealth, getHealthHistory } from "./read-health";
import { unsafeOpenTestAlarm, unsafeSeedHealthEstate, type HealthEstate } from "./fixtures";
import { unsafeDeferHealth } from "./defer";
import { recomputeHealth } from "./recompute-health";
import { unsafeRecomputeAllHealth } from "./recompute-all";
import type { HealthSeeds } from "./types";

/*
 * Estate health written by the transaction that changes it (issue #13 §5): verdicts from alarms,
 * observation gaps, roles and subtrees, with the cause chain down to the red leaf, exact `since`,
 * one transition per change whatever the number of writers.
 */
describe("estate health", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  let statements: string[] = [];
  let e: HealthEstate;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3, onQuery: (q) => statements.push(q) });
    other = connectDatabase({ url: database.url, max: 3 });
    e = await unsafeSeedHealthEstate(handle.db, "ht");
    await unsafeRecomputeAllHealth(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    await other.close();
    await database.drop();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const healthOf = async (id: string) =>
    (
      await rows<{
        verdict: string;
        since: Date;
        explanation: string;
        causes: unknown[];
        leaves: unknown[];
      }>(sql`select verdict, since, explanation, causes, leaves from health where owner_id = ${id}`)
    )[0]!;
  const transitionsOf = (id: string) =>
    rows<{ verdict: string; previous: string | null; at: Date }>(
      sql`select verdict, previous, at from health_transition where owner_id = ${id} order by id`,
    );
  const recompute = (seeds: HealthSeeds, db = handle.db) =>
    db.transaction((tx) => recomputeHealth(tx, seeds));
  const resolveAll = () =>
    handle.db.execute(sql`update alarm set lifecycle = 'resolved', resolved_at = now()
      where lifecycle = 'open'`);
  const c = () => e.components;

  it("gives every owner a first verdict: healthy system and rooms, not monitored, incomplete roles", async () => {
    expect((await healthOf(c().displayLeft)).verdict).toBe("healthy");
    const unpolled = await healthOf(c().unpolled);
    expect(unpolled).toMatchObject({
      verdict: "unknown",
      explanation: "unknown: unpolled is not monitored (no node polls it)",
    });
    // cameras: quorum 1, nothing installed, impact outage → incomplete (commissioning, not red);
    // signage: impact none, empty → healthy.
    const system = await healthOf(e.systemId);
    expect(system.verdict).toBe("incomplete");
    expect(system.explanation).toBe("incomplete: role cameras 0 of 1 installed");
    expect(JSON.stringify(system.causes)).not.toContain("signage");
    // r2 holds the free-standing unpolled component: unknown, shown up the tree.
    expect((await healthOf(e.locations.r2)).verdict).toBe("unknown");
    expect((await healthOf(e.locations.r1)).verdict).toBe("incomplete");
    expect((await healthOf(e.locations.campus)).verdict).toBe("unknown");
    const first = await transitionsOf(e.systemId);
    expect(first).toEqual([expect.objectContaining({ verdict: "incomplete", previous: null })]);
  });

  it("critical alarm → component outage → role below quorum → system outage, naming the red leaf", async () => {
    const alarm = await unsafeOpenTestAlarm(handle.db, {
      ruleId: e.ruleId,
      componentId: c().displayLeft,
      severity: "critical",
      summary: "unreachable",
    });
    let txNow: Date | null = null;
    let cost = 0;
    const changes = await handle.db.transaction(async (tx) => {
      txNow = ((await tx.execute(sql`select now() as now`)).rows[0] as { now: Date }).now;
      statements = [];
      const moved = await recomputeHealth(tx, { componentIds: [c().displayLeft] });
      cost = statements.length;
      return moved;
    });
    // Per kind: lock, facts, write; plus the ancestors: a constant, whatever the tree's depth.
    expect(cost).toBe(10);
    const at = new Date(txNow!).toISOString();
    expect(changes).toEqual(
      expect.arrayContaining([
        {
          ownerKind: "component",
          ownerId: c().displayLeft,
          verdict: "outage",
          previous: "healthy",
          at,
        },
        { ownerKind: "system", ownerId: e.systemId, verdict: "outage", previous: "incomplete", at },
        {
          ownerKind: "location",
          ownerId: e.locations.r1,
          verdict: "outage",
          previous: "incomplete",
          at,
        },
        {
          ownerKind: "location",
          ownerId: e.locations.campus,
          verdict: "outage",
          previous: "unknown",
          at,
        },
      ]),
    );
    const system = await healthOf(e.systemId);
    expect(system.explanation).toBe(
      "outage: role displays 1 of 2 working — display-left unreachable",
    );
    expect(new Date(system.since).toISOString()).toBe(at);
    expect(system.leaves).toContainEqual(
      expect.objectContaining({ kind: "alarm", alarmId: alarm, owner: "ht.b1.r1.display-left" }),
    );
    const building = await healthOf(e.locations.building);
    expect(building.explanation).toBe("outage: r1 outage — display-left unreachable");
    // The unchanged sibling room is not rewritten.
    expect(changes.some((ch) => ch.ownerId === e.locations.r2)).toBe(false);
    await resolveAll();
    await recompute({ componentIds: [c().displayLeft] });
    expect((await healthOf(e.systemId)).verdict).toBe("incomplete");
  });

  it("warning → degraded; a failing member with quorum still met degrades the system", async () => {
    await unsafeOpenTestAlarm(handle.db, {
      ruleId: e.ruleId,
      componentId: c().mic,
      severity: "warning",
      summary: "lamp hours high",
    });
    // An info alarm does not judge.
    await unsafeOpenTestAlarm(handle.db, {
      ruleId: e.ruleId,
      componentId: c().sensor,
      severity: "info",
      summary: "firmware note",
    });
    await recompute({ componentIds: [c().mic, c().sensor] });
    expect((await healthOf(c().mic)).verdict).toBe("degraded");
    expect((await healthOf(c().sensor)).verdict).toBe("healthy");
    const system = await healthOf(e.systemId);
    expect(system.verdict).toBe("degraded");
    expect(system.explanation).toBe("degraded: role mics 1 of 1 working — mic-1 lamp hours high");
    await resolveAll();
    await recompute({ componentIds: [c().mic, c().sensor] });
  });

  it("no fresh data → unknown; its collector down → unknown naming the node; never healthy", async () => {
    await handle.db.execute(
      sql`update series set state = 'stale' where component_id = ${c().sensor}`,
    );
    await recompute({ componentIds: [c().sensor] });
    expect(await healthOf(c().sensor)).toMatchObject({
      verdict: "unknown",
      explanation: "unknown: sensor-1 reports no current data",
    });
    await handle.db.execute(
      sql`update series set state = 'fresh' where component_id = ${c().sensor}`,
    );
    await handle.db.execute(
      sql`update node set last_seen_at = now() - interval '5 minutes' where id = ${e.nodeId}`,
    );
    await recompute({ componentIds: [c().sensor] });
    expect(await healthOf(c().sensor)).toMatchObject({
      verdict: "unknown",
      explanation: "unknown: sensor-1: its collector ht-node is down",
    });
    await handle.db.execute(sql`update node set last_seen_at = now() where id = ${e.nodeId}`);
    await recompute({ componentIds: [c().sensor] });
    expect((await healthOf(c().sensor)).verdict).toBe("healthy");
  });

  it("costs no statement without seeds; unchanged judgements write nothing", async () => {
    statements = [];
    expect(await handle.db.transaction((tx) => recomputeHealth(tx, {}))).toEqual([]);
    expect(statements.filter((s) => !/^(begin|commit)/i.test(s))).toEqual([]);
    // A seed judged once afterwards defers every recompute inside it.
    statements = [];
    const deferred = await unsafeDeferHealth(() => recompute({ componentIds: [c().codec] }));
    expect(deferred).toEqual([]);
    expect(statements.filter((s) => !/^(begin|commit)/i.test(s))).toEqual([]);
    const before = (await transitionsOf(e.systemId)).length;
    statements = [];
    expect(await recompute({ componentIds: [c().codec] })).toEqual([]);
    expect(statements.some((s) => /insert into health/i.test(s))).toBe(false);
    expect((await transitionsOf(e.systemId)).length).toBe(before);
  });

  it("two concurrent recomputes of the same system write one transition", async () => {
    await unsafeOpenTestAlarm(handle.db, {
      ruleId: e.ruleId,
      componentId: c().displayRight,
      severity: "critical",
      summary: "unreachable",
    });
    const before = (await transitionsOf(e.systemId)).length;
    const seeds = { componentIds: [c().displayRight, c().displayLeft], systemIds: [e.systemId] };
    const results = await Promise.all([
      recompute(seeds, handle.db),
      recompute({ ...seeds, componentIds: [...seeds.componentIds].reverse() }, other.db),
      recompute({ systemIds: [e.systemId], locationIds: [e.locations.r1] }, other.db),
    ]);
    const systemChanges = results.flat().filter((ch) => ch.ownerId === e.systemId);
    expect(systemChanges).toHaveLength(1);
    const after = await transitionsOf(e.systemId);
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ verdict: "outage", previous: "incomplete" });
    expect((await transitionsOf(c().displayRight)).at(-1)).toMatchObject({ verdict: "outage" });
    await resolveAll();
    await recompute({ componentIds: [c().displayRight] });
  });

  it("a recompute racing an uncommitted alarm waits for it: no verdict lost, one transition", async () => {
    const warning = await unsafeOpenTestAlarm(handle.db, {
      ruleId: e.ruleId,
      componentId: c().codec,
      severity: "warning",
      summary: "fan slow",
    });
    await recompute({ componentIds: [c().codec] });
    expect((await healthOf(c().codec)).verdict).toBe("degraded");
    const before = (await transitionsOf(c().codec)).length;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let judged!: () => void;
    const firstJudged = new Promise<void>((r) => (judged = r));
    const first = handle.db.transaction(async (tx) => {
      await tx.execute(sql`insert into alarm (id, rule_id, owner_kind, component_id, severity,
          summary, lifecycle, opened_at)
        values (gen_random_uuid(), ${e.otherRuleId}, 'component', ${c().codec}, 'critical',
          'unreachable', 'open', now())`);
      const changes = await recomputeHealth(tx, { componentIds: [c().codec] });
      judged();
      await gate;
      return changes;
    });
    await firstJudged;
    // Started while the first holds the codec (resolving the warning): it must judge with the
    // critical alarm once that commits, not overwrite it with what it saw before.
    const second = other.db.transaction(async (tx) => {
      await tx.execute(sql`update alarm set lifecycle = 'resolved', resolved_at = now()
        where id = ${warning}`);
      return recomputeHealth(tx, { componentIds: [c().codec] });
    });
    await new Promise((r) => setTimeout(r, 150));
    release();
    await first;
    expect((await second).filter((ch) => ch.ownerId === c().codec)).toEqual([]);
    expect(await healthOf(c().codec)).toMatchObject({
      verdict: "outage",
      explanation: "outage: codec unreachable",
    });
    const after = await transitionsOf(c().codec);
    expect(after.slice(before)).toEqual([
      expect.objectContaining({ verdict: "outage", previous: "degraded" }),
    ]);
    await resolveAll();
    await recompute({ componentIds: [c().codec] });
  });

  it("reads: health with its sentence, history in a window and availability from transitions", async () => {
    const viewer = await createTestPrincipal(database.url, {
      name: "ht-viewer",
      grants: [{ role: "viewer", location: "ht.b1.r1" }],
    });
    const actor = (await loadActor(handle.db, viewer.id))!;
    const health = await getHealth({ db: handle.db, actor, kind: "system", ref: "ht.b1.r1.av" });
    expect(health).toMatchObject({
      owner: { kind: "system", id: e.systemId, path: "ht.b1.r1.av" },
      verdict: "incomplete",
      explanation: "incomplete: role cameras 0 of 1 installed",
    });
    // Out of scope: the same 404 as a missing owner.
    await expect(
      getHealth({ db: handle.db, actor, kind: "component", ref: "ht.b1.r2.sensor-1" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    // Availability from transitions written at known times (an owner of its own: r2's sensor).
    const id = c().sensor;
    await handle.db.execute(sql`delete from health_transition where owner_id = ${id}`);
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const at = (h: number) => new Date(t0 + h * 3_600_000).toISOString();
    for (const [h, verdict, previous] of [
      [-1, "healthy", null],
      [2, "outage", "healthy"],
      [3, "degraded", "outage"],
      [5, "unknown", "degraded"],
      [6, "healthy", "unknown"],
    ] as const)
      await handle.db.execute(sql`insert into health_transition (owner_id, owner_kind,
          component_id, at, verdict, previous, explanation)
        values (${id}, 'component', ${id}, ${at(h)}::timestamptz, ${verdict}, ${previous}, ${verdict})`);
    const owner = (await loadActor(
      handle.db,
      (
        await createTestPrincipal(database.url, {
          name: "ht-owner",
          grants: [{ role: "owner" }],
        })
      ).id,
    ))!;
    const history = await getHealthHistory({
      db: handle.db,
      actor: owner,
      kind: "component",
      input: { ref: "ht.b1.r2.sensor-1", from: at(0), to: at(8) },
    });
    // 0–2 healthy, 2–3 outage, 3–5 degraded, 5–6 unknown, 6–8 healthy.
    expect(history.availability.byVerdict).toEqual({
      healthy: 4 / 8,
      incomplete: 0,
      unknown: 1 / 8,
      degraded: 2 / 8,
      outage: 1 / 8,
    });
    // Known time 7 h, of which 6 h healthy or degraded.
    expect(history.availability.available).toBeCloseTo(6 / 7, 10);
    expect(history.transitions.map((t) => t.verdict)).toEqual([
      "healthy",
      "unknown",
      "degraded",
      "outage",
    ]);
    // A window before the first verdict: nothing known.
    const before = await getHealthHistory({
      db: handle.db,
      actor: owner,
      kind: "component",
      input: { ref: id, from: at(-10), to: at(-2) },
    });
    expect(before.availability.available).toBeNull();
    await expect(
      getHealthHistory({
        db: handle.db,
        actor: owner,
        kind: "component",
        input: { ref: id, from: at(2), to: at(1) },
      }),
    ).rejects.toMatchObject({ code: "INVALID" });
  });

  it("ingest: a batch that moves no alarm and no freshness costs no health statement; stale → fresh judges again", async () => {
    const write = () =>
      unsafeWriteSamples(handle.db, {
        sourceId: e.nodeId,
        provenance: "observed",
        samples: [
          {
            ownerKind: "component",
            ownerId: c().sensor,
            signal: "reachable",
            instance: "",
            ts: Date.now(),
            value: true,
            expectedIntervalMs: 30_000,
          },
        ],
      });
    statements = [];
    const steady = await write();
    expect(steady).toMatchObject({ accepted: 1, alarms: [], health: [] });
    expect(statements.filter((q) => /health|advisory/i.test(q))).toEqual([]);

    await handle.db.execute(
      sql`update series set state = 'stale' where component_id = ${c().sensor}`,
    );
    await recompute({ componentIds: [c().sensor] });
    expect((await healthOf(c().sensor)).verdict).toBe("unknown");
    const fresh = await write();
    expect(fresh.health).toContainEqual(
      expect.objectContaining({ ownerId: c().sensor, verdict: "healthy", previous: "unknown" }),
    );
  });
});
