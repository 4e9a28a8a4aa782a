import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { RequestMeta, Suppression } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { openAlarm, resolveAlarmByClear, withCascade } from "../alarms/transitions";
import { resolveAlarm } from "../alarms/resolve-alarm";
import { COLLECTOR_DOWN_RULE_ID, unsafeEnsureCollectorRule } from "../nodes/collector-rule";
import { unsafeWriteSamples } from "../telemetry/ingest";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { unsafeSeedSuppressionEstate, type SuppressionEstate } from "./fixtures";
import { unsafeSuppressionPass } from "./suppression-pass";
import { createMaintenanceWindow } from "./write-window";
import { createSilence, expireSilence } from "./write-silence";

const meta: RequestMeta = {
  requestId: "req-suppression",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};
const MINUTE = 60_000;

/** `YYYY-MM-DDTHH:mm` in UTC, `minutes` from now (floored to the minute). */
const utcMinute = (minutes: number) =>
  new Date(Math.floor((Date.now() + minutes * MINUTE) / MINUTE) * MINUTE)
    .toISOString()
    .slice(0, 16);

interface Row {
  lifecycle: string;
  suppressed: boolean;
  suppression: Suppression | null;
  root_alarm_id: string | null;
}

/*
 * Suppression decided at the transition (issue #14 items 1, 3, 4; decision 0011): windows and
 * silences in force and the dependency root, in the opening's own transaction before its event;
 * a root that opens holds its dependents, one that clears releases them at once; the clock's
 * pass turns window and silence boundaries into events.
 */
describe("suppression at the transition", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let statements: string[] = [];
  let e: SuppressionEstate;
  let actor: Actor;
  let ruleNames: { critical: string; warning: string };
  let instance = 0;

  const ctx = () => ({ db: handle.db, actor, meta });
  const open = (
    componentId: string,
    severity: "critical" | "warning" = "warning",
    rule = severity === "critical" ? e.rules.critical : e.rules.warning,
    instance = "",
  ) =>
    handle.db.transaction(async (tx) =>
      openAlarm(
        tx,
        { ruleId: rule, owner: { kind: "component", id: componentId }, instance },
        {
          openedAt: Date.now(),
          sampleAt: Date.now(),
          value: { reachable: false },
          severity,
          summary: "test",
          flapWindowMs: 0,
          flapThreshold: 100,
        },
      ),
    );
  const clear = (componentId: string, rule = e.rules.critical) =>
    handle.db.transaction((tx) =>
      resolveAlarmByClear(
        tx,
        { ruleId: rule, owner: { kind: "component", id: componentId }, instance: "" },
        { clearedAt: Date.now(), value: { reachable: true } },
      ),
    );
  const row = async (id: string) =>
    (
      await handle.db.execute(
        sql`select lifecycle, suppressed, suppression, root_alarm_id from alarm where id = ${id}`,
      )
    ).rows[0] as unknown as Row;
  const events = async (id: string) =>
    (
      (
        await handle.db.execute(
          sql`select kind from alarm_event where alarm_id = ${id} order by seq`,
        )
      ).rows as { kind: string }[]
    ).map((r) => r.kind);
  /** What left through the outbox for the alarm: each event's kind and its snapshot's hold. */
  const outbox = async (id: string) =>
    (
      await handle.db.execute(sql`
        select kind, (payload->'alarm'->>'suppressed')::boolean as suppressed
        from outbox where alarm_id = ${id} order by alarm_seq`)
    ).rows as { kind: string; suppressed: boolean }[];
  const window = async (name: string, ref: string, dtstart = utcMinute(-10)) =>
    createMaintenanceWindow({
      ...ctx(),
      input: {
        name,
        scope: { kind: "location", ref },
        dtstart,
        timeZone: "UTC",
        duration: "2h",
        rrule: "FREQ=DAILY",
        enabled: true,
      },
    });

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3, onQuery: (q) => statements.push(q) });
    e = await unsafeSeedSuppressionEstate(handle.db, "sup");
    const principal = await createTestPrincipal(database.url, {
      name: "sup-owner",
      grants: [{ role: "owner" }],
    });
    actor = (await loadActor(handle.db, principal.id))!;
    ruleNames = { critical: `${e.name}-down`, warning: `${e.name}-hot` };
  });
  afterEach(async () => {
    // Every test starts with nothing open and no window or silence in force.
    await handle.db.execute(sql`update alarm set lifecycle = 'resolved', resolved_at = now()
      where lifecycle = 'open'`);
    await handle.db.execute(sql`delete from maintenance_window`);
    await handle.db.execute(sql`update silence set expires_at = now() where expires_at > now()`);
    instance++;
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("an alarm opening inside a recurring window over its room is suppressed naming it", async () => {
    const w = await window("r1-patching", e.rooms.r1.path);
    const inside = await open(e.rooms.r1.display);
    const outside = await open(e.rooms.r2.display);
    expect(await row(inside!.alarmId)).toMatchObject({
      suppressed: true,
      root_alarm_id: null,
      suppression: {
        windows: [{ id: w.id, name: "r1-patching", label: null }],
        silences: [],
        root: null,
      },
    });
    // No separate event: the fired event's outbox snapshot already carries the hold.
    expect(await events(inside!.alarmId)).toEqual(["fired"]);
    expect(await outbox(inside!.alarmId)).toEqual([{ kind: "fired", suppressed: true }]);
    expect(await row(outside!.alarmId)).toMatchObject({ suppressed: false, suppression: null });
    expect(await outbox(outside!.alarmId)).toEqual([{ kind: "fired", suppressed: false }]);
  });

  it("the pass releases an alarm when its window ends, and suppresses one a window starts over", async () => {
    const w = await window("r1-nightly", e.rooms.r1.path);
    const held = await open(e.rooms.r1.cp);
    expect((await row(held!.alarmId)).suppressed).toBe(true);
    // A window beginning in an hour over r2, where an alarm is open and notifying.
    await window("r2-later", e.rooms.r2.path, utcMinute(60));
    const notifying = await open(e.rooms.r2.cp);
    const t0 = new Date();
    const quiet = await unsafeSuppressionPass(handle.db, { now: t0, since: null });
    expect(quiet.ran).toBe(true);
    expect(quiet.alarms).toEqual([]);

    // Two and a half hours on: r1's occurrence (−10 min, 2 h) has ended, r2's has begun.
    const later = new Date(t0.getTime() + 150 * MINUTE);
    const pass = await unsafeSuppressionPass(handle.db, { now: later, since: t0 });
    expect(pass.alarms.map((a) => [a.alarmId, a.kind]).sort()).toEqual(
      [
        [held!.alarmId, "unsuppressed"],
        [notifying!.alarmId, "suppressed"],
      ].sort(),
    );
    expect(await row(held!.alarmId)).toMatchObject({ suppressed: false, suppression: null });
    expect(await events(held!.alarmId)).toEqual(["fired", "unsuppressed"]);
    expect(await outbox(held!.alarmId)).toEqual([
      { kind: "fired", suppressed: true },
      { kind: "unsuppressed", suppressed: false },
    ]);
    expect((await row(notifying!.alarmId)).suppression?.windows.map((x) => x.name)).toEqual([
      "r2-later",
    ]);
    expect(await outbox(notifying!.alarmId)).toEqual([
      { kind: "fired", suppressed: false },
      { kind: "suppressed", suppressed: true },
    ]);
    // Nothing new since: the next pass changes nothing.
    const again = await unsafeSuppressionPass(handle.db, {
      now: new Date(later.getTime() + 5_000),
      since: later,
    });
    expect(again.alarms).toEqual([]);
    expect(w.id).toBeTruthy();
  });

  it("a silence matching holds the alarm; created later it suppresses, expired early it releases", async () => {
    const silence = await createSilence({
      ...ctx(),
      input: {
        matchers: { rules: [ruleNames.warning], owner: e.rooms.r2.path },
        reason: "display swap, ticket 12",
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const matched = await open(e.rooms.r2.display);
    const other = await open(e.rooms.r1.display, "critical");
    expect((await row(matched!.alarmId)).suppression).toMatchObject({
      windows: [],
      silences: [{ id: silence.id, reason: "display swap, ticket 12", author: "sup-owner" }],
      root: null,
    });
    expect((await row(other!.alarmId)).suppressed).toBe(false);

    // A silence created while r1's alarm is open: the next pass suppresses it.
    const before = new Date(Date.now() - 1_000);
    const open1 = await open(e.rooms.r1.switch);
    const later = await createSilence({
      ...ctx(),
      input: {
        matchers: { owner: e.rooms.r1.path, severities: ["warning"] },
        reason: "r1 rewiring",
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    const t1 = new Date();
    const pass = await unsafeSuppressionPass(handle.db, { now: t1, since: before });
    expect(pass.alarms).toEqual([
      expect.objectContaining({ alarmId: open1!.alarmId, kind: "suppressed" }),
    ]);
    expect((await row(open1!.alarmId)).suppression?.silences.map((s) => s.id)).toEqual([later.id]);

    // Expired early: released at the next pass.
    await expireSilence({ ...ctx(), input: { id: later.id, version: later.version } });
    await expireSilence({ ...ctx(), input: { id: silence.id, version: silence.version } });
    const t2 = new Date(Date.now() + 10);
    const released = await unsafeSuppressionPass(handle.db, { now: t2, since: t1 });
    expect(released.alarms.map((a) => [a.alarmId, a.kind]).sort()).toEqual(
      [
        [open1!.alarmId, "unsuppressed"],
        [matched!.alarmId, "unsuppressed"],
      ].sort(),
    );
    expect(await events(open1!.alarmId)).toEqual(["fired", "suppressed", "unsuppressed"]);
  });

  it("a display behind an open control-processor alarm opens suppressed naming the root and the chain", async () => {
    const cp = await open(e.rooms.r2.cp, "critical");
    expect((await row(cp!.alarmId)).suppressed).toBe(false);
    const display = await open(e.rooms.r2.display);
    const held = await row(display!.alarmId);
    expect(held.root_alarm_id).toBe(cp!.alarmId);
    expect(held.suppression).toEqual({
      since: expect.any(String),
      windows: [],
      silences: [],
      root: {
        alarmId: cp!.alarmId,
        owner: { kind: "component", path: `${e.rooms.r2.path}.cp` },
        rule: ruleNames.critical,
        links: [
          {
            via: "template",
            from: `${e.rooms.r2.path}.display`,
            to: `${e.rooms.r2.path}.cp`,
            reason: expect.stringContaining("control processor"),
            system: e.rooms.r2.systemPath,
            role: null,
          },
        ],
      },
    });
    expect(await outbox(display!.alarmId)).toEqual([{ kind: "fired", suppressed: true }]);
    // A warning on the switch is not a root (only a critical alarm takes its owner down).
    const sw = await open(e.rooms.r1.switch, "warning");
    const r1cp = await open(e.rooms.r1.cp, "warning");
    expect((await row(r1cp!.alarmId)).suppressed).toBe(false);
    expect(sw).not.toBeNull();
  });

  it("the root clears: its dependent is released in the same transaction and the change is returned", async () => {
    const cp = await open(e.rooms.r2.cp, "critical");
    const display = await open(e.rooms.r2.display);
    expect((await row(display!.alarmId)).suppressed).toBe(true);
    const { change, seen } = await handle.db.transaction(async (tx) => {
      const change = await resolveAlarmByClear(
        tx,
        { ruleId: e.rules.critical, owner: { kind: "component", id: e.rooms.r2.cp }, instance: "" },
        { clearedAt: Date.now(), value: { reachable: true } },
      );
      const seen = (
        await tx.execute(sql`select suppressed from alarm where id = ${display!.alarmId}`)
      ).rows[0] as { suppressed: boolean };
      return { change, seen };
    });
    expect(seen.suppressed).toBe(false);
    expect(change!.cascade).toEqual([
      expect.objectContaining({
        alarmId: display!.alarmId,
        kind: "unsuppressed",
        componentId: e.rooms.r2.display,
      }),
    ]);
    expect(withCascade(change).map((c) => c.kind)).toEqual(["resolved", "unsuppressed"]);
    expect(await row(display!.alarmId)).toMatchObject({
      suppressed: false,
      suppression: null,
      root_alarm_id: null,
    });
    expect(await outbox(display!.alarmId)).toEqual([
      { kind: "fired", suppressed: true },
      { kind: "unsuppressed", suppressed: false },
    ]);
    expect(cp).not.toBeNull();
  });

  it("the root clears but a window still holds the dependent: the reasons are updated, it stays held", async () => {
    const w = await window("r2-works", e.rooms.r2.path);
    await open(e.rooms.r2.cp, "critical");
    const display = await open(e.rooms.r2.display);
    expect((await row(display!.alarmId)).suppression).toMatchObject({
      windows: [{ id: w.id }],
      root: { owner: { path: `${e.rooms.r2.path}.cp` } },
    });
    const change = await clear(e.rooms.r2.cp);
    expect(change!.cascade).toEqual([
      expect.objectContaining({ alarmId: display!.alarmId, kind: "suppressed" }),
    ]);
    expect(await row(display!.alarmId)).toMatchObject({
      suppressed: true,
      root_alarm_id: null,
      suppression: { windows: [{ id: w.id }], root: null },
    });
    expect(await events(display!.alarmId)).toEqual(["fired", "suppressed"]);
  });

  it("a root resolved by hand releases its dependents too", async () => {
    const cp = await open(e.rooms.r1.cp, "critical");
    const display = await open(e.rooms.r1.display);
    expect((await row(display!.alarmId)).root_alarm_id).toBe(cp!.alarmId);
    const told: string[] = [];
    await resolveAlarm({
      ...ctx(),
      input: { id: cp!.alarmId, reason: "replaced the PSU" },
      onAlarmsChanged: (changes) => told.push(...changes.map((c) => `${c.alarmId}:${c.kind}`)),
    });
    expect(told).toEqual([`${display!.alarmId}:unsuppressed`]);
    expect((await row(display!.alarmId)).suppressed).toBe(false);
  });

  it("a root whose row is deleted (its rule removed) no longer holds: the pass releases the dependent", async () => {
    const cp = await open(e.rooms.r2.cp, "critical");
    const display = await open(e.rooms.r2.display);
    expect((await row(display!.alarmId)).root_alarm_id).toBe(cp!.alarmId);
    await handle.db.execute(sql`delete from alarm where id = ${cp!.alarmId}`);
    expect((await row(display!.alarmId)).root_alarm_id).toBeNull();
    const t = new Date();
    const pass = await unsafeSuppressionPass(handle.db, {
      now: t,
      since: new Date(t.getTime() - 5_000),
    });
    expect(pass.alarms).toEqual([
      expect.objectContaining({ alarmId: display!.alarmId, kind: "unsuppressed" }),
    ]);
  });

  it("a root opening after its dependents suppresses them; a deeper root re-points them", async () => {
    const display = await open(e.rooms.r1.display);
    expect((await row(display!.alarmId)).suppressed).toBe(false);
    const cp = await open(e.rooms.r1.cp, "critical");
    expect(cp!.cascade).toEqual([
      expect.objectContaining({ alarmId: display!.alarmId, kind: "suppressed" }),
    ]);
    expect((await row(display!.alarmId)).root_alarm_id).toBe(cp!.alarmId);
    expect(await outbox(display!.alarmId)).toEqual([
      { kind: "fired", suppressed: false },
      { kind: "suppressed", suppressed: true },
    ]);

    // The switch behind both goes down: the control processor is held by it, the display
    // re-pointed to it (its template names both; the nearest root that is not held wins).
    const sw = await open(e.rooms.r1.switch, "critical");
    expect(sw!.cascade!.map((c) => [c.alarmId, c.kind]).sort()).toEqual(
      [
        [cp!.alarmId, "suppressed"],
        [display!.alarmId, "suppressed"],
      ].sort(),
    );
    const displayRow = await row(display!.alarmId);
    expect(displayRow.root_alarm_id).toBe(sw!.alarmId);
    expect(displayRow.suppression!.root!.links.map((l) => [l.from, l.to])).toEqual([
      [`${e.rooms.r1.path}.display`, `${e.rooms.r1.path}.switch`],
    ]);
    expect((await row(cp!.alarmId)).root_alarm_id).toBe(sw!.alarmId);

    // The switch clears: the control processor notifies again and is the display's root once more.
    const cleared = await clear(e.rooms.r1.switch);
    expect(cleared!.cascade!.map((c) => [c.alarmId, c.kind]).sort()).toEqual(
      [
        [cp!.alarmId, "unsuppressed"],
        [display!.alarmId, "suppressed"],
      ].sort(),
    );
    expect((await row(display!.alarmId)).root_alarm_id).toBe(cp!.alarmId);
  });

  it("a collector-down node is the root of what it polls (the poller link)", async () => {
    await unsafeEnsureCollectorRule(handle.db);
    const sw = await open(e.rooms.r2.switch);
    const node = await handle.db.transaction((tx) =>
      openAlarm(
        tx,
        { ruleId: COLLECTOR_DOWN_RULE_ID, owner: { kind: "node", id: e.nodeId }, instance: "" },
        {
          openedAt: Date.now(),
          sampleAt: Date.now(),
          value: {},
          severity: "critical",
          summary: "collector down",
          flapWindowMs: 0,
          flapThreshold: 100,
        },
      ),
    );
    expect(node!.cascade).toEqual([
      expect.objectContaining({ alarmId: sw!.alarmId, kind: "suppressed" }),
    ]);
    expect((await row(sw!.alarmId)).suppression!.root).toMatchObject({
      alarmId: node!.alarmId,
      owner: { kind: "node", path: e.nodeName },
      links: [{ via: "poller", from: `${e.rooms.r2.path}.switch`, to: e.nodeName }],
    });
  });

  it("one ingest batch taking a room down opens the switch first: the rest is held by it", async () => {
    const now = Date.now();
    const r = e.rooms.r2;
    const samples = [r.display, r.cp, r.switch].flatMap((id) =>
      [now - 150_000, now].map((ts) => ({
        ownerKind: "component" as const,
        ownerId: id,
        signal: "reachable",
        instance: "",
        ts,
        value: false,
        expectedIntervalMs: 30_000,
      })),
    );
    const written = await unsafeWriteSamples(handle.db, {
      sourceId: e.nodeId,
      provenance: "observed",
      samples,
    });
    const opened = written.alarms.filter((a) => a.kind === "opened");
    expect(opened).toHaveLength(3);
    // The switch first, whatever order the batch's rules came in.
    expect(opened.map((a) => a.componentId)).toEqual([r.switch, r.cp, r.display]);
    const byComponent = new Map(opened.map((a) => [a.componentId, a.alarmId]));
    const switchAlarm = byComponent.get(r.switch)!;
    expect((await row(switchAlarm)).suppressed).toBe(false);
    expect((await row(byComponent.get(r.cp)!)).root_alarm_id).toBe(switchAlarm);
    expect((await row(byComponent.get(r.display)!)).root_alarm_id).toBe(switchAlarm);
    // Held from their first event: nothing of them would page.
    expect(await outbox(byComponent.get(r.display)!)).toEqual([
      { kind: "fired", suppressed: true },
    ]);
    expect(await events(byComponent.get(r.cp)!)).toEqual(["fired"]);
  });

  it("the pass is a few statements when no boundary passed, and releases a lane of 200 at a window's end", async () => {
    await window("r1-big", e.rooms.r1.path);
    const HELD = 200;
    for (let i = 0; i < HELD; i++)
      await open(e.rooms.r1.display, "warning", e.rules.warning, `port-${i}`);
    const t0 = new Date();
    await unsafeSuppressionPass(handle.db, { now: t0, since: null });
    statements = [];
    let started = performance.now();
    const idle = await unsafeSuppressionPass(handle.db, {
      now: new Date(t0.getTime() + 5_000),
      since: t0,
    });
    const idleMs = performance.now() - started;
    const idleStatements = statements.filter((q) => !/^(begin|commit)/i.test(q)).length;
    expect(idle).toMatchObject({ ran: true, alarms: [], held: HELD, began: 0, reevaluated: 0 });
    // The lock, the windows, the starting silences, the suppressed lane, its silences.
    expect(idleStatements).toBeLessThanOrEqual(5);

    started = performance.now();
    const ended = await unsafeSuppressionPass(handle.db, {
      now: new Date(t0.getTime() + 150 * MINUTE),
      since: new Date(t0.getTime() + 5_000),
    });
    const endedMs = performance.now() - started;
    expect(ended.alarms).toHaveLength(HELD);
    expect(ended.alarms.every((a) => a.kind === "unsuppressed")).toBe(true);
    console.log(
      `suppression pass: idle with ${HELD} held ${idleMs.toFixed(1)} ms (${idleStatements} statements); releasing ${HELD} at a window's end ${endedMs.toFixed(0)} ms`,
    );
  });

  it("costs nothing on the steady path; an opening costs a bounded number of statements", async () => {
    const now = Date.now();
    const sample = (ts: number, value: boolean) => ({
      ownerKind: "component" as const,
      ownerId: e.rooms.r1.display,
      signal: "reachable",
      instance: "",
      ts,
      value,
      expectedIntervalMs: 30_000,
    });
    const write = (ts: number, value: boolean) =>
      unsafeWriteSamples(handle.db, {
        sourceId: e.nodeId,
        provenance: "observed",
        samples: [sample(ts, value)],
      });
    await write(now - 2_000, true);
    statements = [];
    const steady = await write(now - 1_000, true);
    expect(steady.alarms).toEqual([]);
    expect(
      statements.filter((q) => /maintenance_window|silence|root_alarm_id|dependencies/.test(q)),
    ).toEqual([]);
    const steadyCount = statements.length;

    // An opening behind an open root: facts, windows and silences, the model, the roots, the insert.
    await open(e.rooms.r1.cp, "critical");
    statements = [];
    const held = await open(e.rooms.r1.display);
    const openCount = statements.filter((q) => !/^(begin|commit)/i.test(q)).length;
    expect((await row(held!.alarmId)).suppressed).toBe(true);
    expect(openCount).toBeLessThanOrEqual(12);
    console.log(
      `suppression: steady ingest write ${steadyCount} statements; a held opening ${openCount}`,
    );
    expect(instance).toBeGreaterThan(0);
  });
});
