import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Alarm, AlarmWhy, Problem, type Suppression } from "@omniglass/contracts";
import {
  unsafeMarkOutboxPublished,
  unsafeRouteTransitions,
  unsafeUnpublishedOutbox,
} from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * "Why did (or didn't) this alarm notify" (issue #14 item 4) and the suppressed lane. Alarms are
 * written the way the transitions write them (the alarm's suppression columns and its timeline
 * events in one transaction, the outbox trigger snapshotting each), routed by the real routing
 * code, and their deliveries stamped as the worker would. The answer names the window that held
 * the alarm, says no action rule matched while it was held, and names the endpoint it notified
 * once released — only to who may read the action rules and endpoints; the others see counts.
 */
const HQ_DISPLAY = "campus.hq.room-1.display-1";
const HQ_SPEAKER = "campus.hq.room-1.speaker-1";
const ANNEX_SWITCH = "campus.annex.switch-1";

describe("why did (or didn't) an alarm notify", () => {
  let bed: Testbed;
  let operatorHq: string;
  let operatorAnnex: string;
  let ruleId: string;
  let window: { id: string; name: string };
  let pager: string;
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
  const why = async (id: string, token?: string) => {
    const r = await bed.rest("GET", `/alarms/${id}/why`, token === undefined ? {} : { token });
    expect(r.status, await r.clone().text()).toBe(200);
    return AlarmWhy.parse(await r.json());
  };
  const exec = (text: string) => bed.db.execute(text as never);
  const lit = (v: unknown) => `'${JSON.stringify(v).replaceAll("'", "''")}'::jsonb`;

  /** The suppression a window over the room writes (the H1 shape: Suppression). */
  const byWindow = (since: string): Suppression => ({
    since,
    windows: [{ id: window.id, name: window.name, label: null }],
    silences: [],
    root: null,
  });

  /**
   * An alarm of `ruleId` on a component, opened at `at` as the transitions open it: held or not
   * decided before its `fired` event in the same transaction, so the event's outbox snapshot
   * carries the suppression.
   */
  async function openAlarm(owner: string, at: string, suppression: Suppression | null) {
    const id = randomUUID();
    await bed.db.transaction(async (tx) => {
      const run = (text: string) => tx.execute(text as never);
      await run(`
        insert into alarm (id, rule_id, owner_kind, component_id, severity, summary, lifecycle,
          opened_at, suppressed, suppression, root_alarm_id, seq)
        select '${id}', '${ruleId}', 'component', c.id, 'critical', 'Unreachable', 'open',
          '${at}', ${suppression ? "true" : "false"}, ${suppression ? lit(suppression) : "null"},
          ${suppression?.root ? `'${suppression.root.alarmId}'` : "null"}, 1
        from component c where c.path = '${owner}'`);
      await run(`insert into alarm_event (alarm_id, seq, kind, at, value)
        values ('${id}', 1, 'fired', '${at}', '{"reachable": false}'::jsonb)`);
    });
    return id;
  }

  /** The window ended: the alarm's notifications are released (one transaction). */
  async function unsuppress(id: string, at: string) {
    await bed.db.transaction(async (tx) => {
      const updated = await tx.execute(
        `update alarm set suppressed = false, suppression = null,
        root_alarm_id = null, seq = seq + 1, version = version + 1
        where id = '${id}' returning seq` as never,
      );
      const seq = Number((updated.rows[0] as { seq: number }).seq);
      await tx.execute(
        `insert into alarm_event (alarm_id, seq, kind, at, value, comment)
        values ('${id}', ${seq}, 'unsuppressed', '${at}', null, 'window ended')` as never,
      );
    });
  }

  /** The worker's part: publish the outbox, route it, and the receivers answer 200 in 120 ms. */
  async function routeAndDeliver() {
    const messages = await unsafeUnpublishedOutbox(bed.db);
    await unsafeRouteTransitions(bed.db, messages);
    await unsafeMarkOutboxPublished(
      bed.db,
      messages.map((m) => m.outboxId),
    );
    await exec(`update delivery set status = 'delivered', attempts = 1, last_status_code = 200,
      last_latency_ms = 120, last_attempt_at = now(), delivered_at = now(), next_attempt_at = null
      where status = 'pending'`);
  }

  beforeAll(async () => {
    bed = await createTestbed();
    const post = async (path: string, body: unknown) => {
      const r = await bed.rest("POST", path, { body });
      expect(r.status, await r.clone().text()).toBe(200);
      return json(r);
    };
    await post("/locations", { name: "campus", type: "campus" });
    for (const name of ["hq", "annex"])
      await post("/locations", { name, type: "building", parent: "campus" });
    await post("/locations", { name: "room-1", type: "room", parent: "campus.hq" });
    for (const [name, location] of [
      ["display-1", "campus.hq.room-1"],
      ["speaker-1", "campus.hq.room-1"],
      ["switch-1", "campus.annex"],
    ] as const)
      await post("/components", { name, location, template: "http-json-display" });
    ruleId = String(
      (
        await post("/rules", {
          name: "why-down",
          severity: "critical",
          fire: 'signals["reachable"] == false',
        })
      ).id,
    );
    // A window far in the future: only its id and name are used (the alarms are written here).
    const made = await post("/maintenance-windows", {
      name: "room-1-patching",
      scope: { kind: "location", ref: "campus.hq.room-1" },
      dtstart: "2031-01-04T02:00",
      timeZone: "Europe/London",
      duration: "2h",
      rrule: "FREQ=WEEKLY;BYDAY=SA",
    });
    window = { id: String(made.id), name: String(made.name) };
    pager = String(
      (
        await post("/webhook-endpoints", {
          name: "hq-pager",
          url: "https://hooks.example.com/pager",
          location: "campus.hq",
        })
      ).id,
    );
    // hq-critical: the default (unsuppressed transitions only); hq-info: never takes a critical
    // alarm; hq-off: disabled. (noc-everything, platform-wide, comes with the second test.)
    await post("/action-rules", {
      name: "hq-critical",
      matchers: { severities: ["critical"] },
      scope: { kind: "location", ref: "campus.hq" },
      endpointIds: [pager],
    });
    await post("/action-rules", {
      name: "hq-info",
      matchers: { severities: ["info"] },
      scope: { kind: "location", ref: "campus.hq" },
      endpointIds: [pager],
    });
    await post("/action-rules", {
      name: "hq-off",
      enabled: false,
      scope: { kind: "location", ref: "campus.hq" },
      endpointIds: [pager],
    });
    operatorHq = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    operatorAnnex = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-annex",
        grants: [{ role: "operator", location: "campus.annex" }],
      })
    ).token;
  });
  afterAll(() => bed.close());

  it("held by a window: no webhook; at the window's end the still-open alarm notifies the pager", async () => {
    const opened = new Date(Date.now() - 10 * 60_000).toISOString();
    const ended = new Date(Date.now() - 2 * 60_000).toISOString();
    const id = await openAlarm(HQ_DISPLAY, opened, byWindow(opened));
    await routeAndDeliver();

    const held = await why(id);
    expect(held.notified).toBe(false);
    expect(held.rule).toEqual({ id: ruleId, name: "why-down", origin: "custom" });
    expect(held.suppression.current?.windows).toEqual([
      { id: window.id, name: "room-1-patching", label: null },
    ]);
    expect(held.transitions.map((t) => [t.seq, t.kind, t.suppressed, t.facts])).toEqual([
      [1, "fired", true, "outbox"],
    ]);
    const rulesOf = (t: AlarmWhy["transitions"][number]) =>
      Object.fromEntries(t.actionRules.map((r) => [r.name, r.why]));
    expect(rulesOf(held.transitions[0]!)).toEqual({
      "hq-critical": "suppressed",
      "hq-info": "severity",
      "hq-off": "disabled",
    });
    expect(held.transitions.flatMap((t) => t.deliveries)).toEqual([]);

    await unsuppress(id, ended);
    await routeAndDeliver();
    const released = await why(id);
    expect(released.notified).toBe(true);
    expect(released.suppression.current).toBeNull();
    expect(released.suppression.history).toEqual([
      // It opened held: its fired event is where the hold began, with the snapshot's reasons.
      { seq: 1, kind: "suppressed", at: opened, reasons: byWindow(opened), comment: null },
      {
        seq: 2,
        kind: "unsuppressed",
        at: ended,
        reasons: byWindow(opened),
        comment: "window ended",
      },
    ]);
    expect(released.suppression.history[0]!.reasons?.windows[0]?.name).toBe("room-1-patching");
    const last = released.transitions.at(-1)!;
    expect(last).toMatchObject({
      seq: 2,
      kind: "unsuppressed",
      suppressed: false,
      outbox: "published",
    });
    expect(rulesOf(last)["hq-critical"]).toBeNull();
    const toPager = last.deliveries.find((d) => d.endpoint.id === pager)!;
    expect(toPager).toMatchObject({
      endpoint: { id: pager, name: "hq-pager" },
      status: "delivered",
      attempts: 1,
      lastStatusCode: 200,
      lastLatencyMs: 120,
    });
    expect(toPager.deliveredAt).not.toBeNull();
    expect(toPager.actionRuleId).not.toBeNull();
  });

  it("names only the action rules and endpoints the caller may read; counts the others", async () => {
    // A platform-wide rule (scope all) to a platform endpoint, held or not: only scope all reads them.
    const noc = await bed.rest("POST", "/webhook-endpoints", {
      body: { name: "noc", url: "https://hooks.example.com/noc" },
    });
    expect(noc.status).toBe(200);
    const everything = await bed.rest("POST", "/action-rules", {
      body: {
        name: "noc-everything",
        matchers: { suppressed: "any" },
        endpointIds: [String((await json(noc)).id)],
      },
    });
    expect(everything.status).toBe(200);
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    const id = await openAlarm(HQ_SPEAKER, at, null);
    await routeAndDeliver();
    const full = await why(id);
    expect(full.transitions[0]!.actionRules.map((r) => r.name)).toContain("noc-everything");
    expect(full.transitions[0]!.deliveries.map((d) => d.endpoint.name).sort()).toEqual([
      "hq-pager",
      "noc",
    ]);

    const scoped = await why(id, operatorHq);
    const t = scoped.transitions[0]!;
    expect(t.actionRules.map((r) => r.name)).toEqual(["hq-critical", "hq-info", "hq-off"]);
    expect(t.otherActionRules).toEqual({ matched: 1, notMatched: 0 });
    expect(t.deliveries.map((d) => d.endpoint.name)).toEqual(["hq-pager"]);
    expect(t.otherDeliveries).toEqual({ total: 1, delivered: 1 });
    expect(JSON.stringify(scoped)).not.toContain("noc");
    expect(scoped.notified).toBe(true);
  });

  it("behind a root: the root alarm is named where the caller may read it", async () => {
    const at = new Date(Date.now() - 4 * 60_000).toISOString();
    const rootId = await openAlarm(ANNEX_SWITCH, at, null);
    const behind: Suppression = {
      since: at,
      windows: [],
      silences: [],
      root: {
        alarmId: rootId,
        owner: { kind: "component", path: ANNEX_SWITCH },
        rule: "why-down",
        links: [
          {
            via: "template",
            from: HQ_DISPLAY,
            to: ANNEX_SWITCH,
            reason: "its network switch",
            system: null,
            role: "network",
          },
        ],
      },
    };
    // The display's first alarm was released above; a second rule's alarm would be another
    // owner: reuse the display with its first alarm resolved.
    await exec(`update alarm set lifecycle = 'resolved', resolved_at = now()
      where component_id = (select id from component where path = '${HQ_DISPLAY}') and lifecycle = 'open'`);
    const id = await openAlarm(HQ_DISPLAY, at, behind);
    const owner = await why(id);
    expect(owner.suppression.current?.root?.links[0]?.to).toBe(ANNEX_SWITCH);
    expect(owner.suppression.root).toMatchObject({
      id: rootId,
      lifecycle: "open",
      owner: { kind: "component", path: ANNEX_SWITCH },
    });
    // The hq operator reads the dependent, not the root in the annex: the chain stays, the
    // root alarm itself is not read.
    const scoped = await why(id, operatorHq);
    expect(scoped.suppression.current?.root?.alarmId).toBe(rootId);
    expect(scoped.suppression.root).toBeNull();

    // The suppressed lane: open and held, with the reason; false leaves it out.
    const lane = await json(await bed.rest("GET", "/alarms?suppressed=true"));
    expect((lane.items as Alarm[]).map((a) => a.id)).toEqual([id]);
    expect((lane.items as Alarm[])[0]!.suppression?.root?.owner.path).toBe(ANNEX_SWITCH);
    const rest = await json(await bed.rest("GET", "/alarms?state=open&suppressed=false"));
    expect((rest.items as Alarm[]).map((a) => a.id)).not.toContain(id);
    expect((rest.items as Alarm[]).map((a) => a.id)).toContain(rootId);
    const bad = await bed.rest("GET", "/alarms?suppressed=maybe");
    expect(bad.status).toBe(400);
    expect(Problem.parse(await bad.json()).errors?.[0]?.field).toBe("suppressed");
  });

  it("is a 404 outside read scope, a 400 naming the field for a malformed id, 401 without a credential", async () => {
    const [hq] = (
      (await json(await bed.rest("GET", `/alarms?owner=${HQ_SPEAKER}`))).items as Alarm[]
    ).map((a) => a.id);
    expect((await bed.rest("GET", `/alarms/${hq}/why`, { token: operatorAnnex })).status).toBe(404);
    expect((await bed.rest("GET", `/alarms/${randomUUID()}/why`)).status).toBe(404);
    const malformed = await bed.rest("GET", "/alarms/not-an-id/why");
    expect(malformed.status).toBe(400);
    expect(Problem.parse(await malformed.json()).errors?.[0]?.field).toBe("id");
    expect((await bed.rest("GET", `/alarms/${hq}/why`, { token: null })).status).toBe(401);
  });

  it("rebuilds the state from the timeline once the outbox is pruned, from a delivery where one was made", async () => {
    const opened = new Date(Date.now() - 3 * 60_000).toISOString();
    await exec(`update alarm set lifecycle = 'resolved', resolved_at = now()
      where component_id = (select id from component where path = '${HQ_SPEAKER}') and lifecycle = 'open'`);
    const id = await openAlarm(HQ_SPEAKER, opened, byWindow(opened));
    await routeAndDeliver();
    await unsuppress(id, new Date().toISOString());
    await routeAndDeliver();
    await exec(`delete from outbox where alarm_id = '${id}'`);
    const answer = await why(id);
    expect(answer.transitions.map((t) => [t.kind, t.suppressed, t.facts, t.outbox])).toEqual([
      // noc-everything delivered every transition: its body keeps each snapshot.
      ["fired", true, "delivery", "pruned"],
      ["unsuppressed", false, "delivery", "pruned"],
    ]);
    await exec(`delete from delivery where alarm_id = '${id}'`);
    const bare = await why(id);
    expect(bare.transitions.map((t) => [t.kind, t.suppressed, t.facts])).toEqual([
      ["fired", true, "timeline"],
      ["unsuppressed", false, "timeline"],
    ]);
    // Released by its first suppression event: it was held from the start.
    expect(bare.suppression.history.map((h) => [h.seq, h.kind])).toEqual([
      [1, "suppressed"],
      [2, "unsuppressed"],
    ]);
    expect(bare.notified).toBe(false);
  });

  it("costs the same number of statements for a timeline of 2 events and one of 60", async () => {
    const at = new Date(Date.now() - 60_000).toISOString();
    await exec(`update alarm set lifecycle = 'resolved', resolved_at = now() where lifecycle = 'open'
      and component_id = (select id from component where path = '${HQ_SPEAKER}')`);
    const short = await openAlarm(HQ_SPEAKER, at, byWindow(at));
    await unsuppress(short, at);
    await exec(
      `update alarm set lifecycle = 'resolved', resolved_at = now() where id = '${short}'`,
    );
    const long = await openAlarm(HQ_SPEAKER, at, byWindow(at));
    // 59 more events: the window ending and starting over and over, acknowledged in between.
    await exec(`insert into alarm_event (alarm_id, seq, kind, at, value, comment)
      select '${long}', 1 + g,
        (array['unsuppressed', 'acknowledged', 'suppressed'])[1 + g % 3],
        '${at}'::timestamptz + g * interval '1 second', null, 'flap'
      from generate_series(1, 59) g`);
    await exec(`update alarm set seq = 60 where id = '${long}'`);
    await routeAndDeliver();
    const cost = async (id: string) => {
      bed.statements.length = 0;
      const answer = await why(id);
      return { n: bed.statements.length, events: answer.transitions.length };
    };
    const a = await cost(short);
    const b = await cost(long);
    expect(a.events).toBe(2);
    expect(b.events).toBe(60);
    expect(b.n).toBe(a.n);
    expect(a.n).toBeLessThanOrEqual(12);
  });

  it("an alarm opened by a sample under a window in force is held by it, from its fired event on", async () => {
    await bed.rest("POST", "/locations", {
      body: { name: "room-2", type: "room", parent: "campus.hq" },
    });
    await bed.rest("POST", "/components", {
      body: { name: "display-2", location: "campus.hq.room-2", template: "http-json-display" },
    });
    const start = new Date(Date.now() - 30 * 60_000).toISOString().slice(0, 16);
    const made = await bed.rest("POST", "/maintenance-windows", {
      body: {
        name: "room-2-now",
        scope: { kind: "location", ref: "campus.hq.room-2" },
        dtstart: start,
        timeZone: "UTC",
        duration: "2h",
      },
    });
    expect(made.status, await made.clone().text()).toBe(200);
    const pushed = await bed.rest("POST", "/samples", {
      body: {
        samples: [
          {
            owner: "campus.hq.room-2.display-2",
            signal: "reachable",
            value: false,
            ts: new Date(Date.now() - 1000).toISOString(),
          },
        ],
      },
    });
    expect(pushed.status).toBe(202);
    const [opened] = (
      (await json(await bed.rest("GET", `/alarms?owner=campus.hq.room-2&rule=why-down`)))
        .items as Alarm[]
    ).map((a) => a.id);
    await routeAndDeliver();
    const answer = await why(opened!);
    expect(answer.suppression.current?.windows.map((w) => w.name)).toEqual(["room-2-now"]);
    expect(answer.transitions[0]).toMatchObject({
      kind: "fired",
      suppressed: true,
      facts: "outbox",
    });
    // Only the rule that takes held transitions too (noc-everything) made a webhook.
    expect(answer.transitions[0]!.deliveries.map((d) => d.endpoint.name)).toEqual(["noc"]);
    expect(answer.transitions[0]!.actionRules.find((r) => r.name === "hq-critical")?.why).toBe(
      "suppressed",
    );
    expect(answer.suppression.history).toEqual([
      expect.objectContaining({ seq: 1, kind: "suppressed", comment: null }),
    ]);
    expect(answer.suppression.history[0]!.reasons?.windows[0]?.name).toBe("room-2-now");
    expect(answer.notified).toBe(true);
  });
});
