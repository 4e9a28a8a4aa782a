import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unsafeActiveSuppressions, type SuppressionFacts } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * Maintenance windows and silences over REST (issue #14 items 1-2): CRUD with one audit row per
 * change, scope (a room operator cannot silence another building), the silence maximum and the
 * mandatory expiry, DST-resolved occurrences through the API, and the suppression query.
 */
describe("maintenance windows and silences", () => {
  let bed: Testbed;
  /** Operator in north.b1.room-1 only (reads nothing else). */
  let roomOperator: string;
  /** Viewer everywhere, operator in north.b1.room-1: reads other buildings, writes only there. */
  let roomOperatorSeeing: string;
  let displayId = "";

  const day = 86_400_000;
  const inDays = (n: number) => new Date(Date.now() + n * day).toISOString();
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
  const audits = async () =>
    Number(
      (
        (await bed.db.execute(`select count(*)::int as n from audit_log` as never)).rows[0] as {
          n: number;
        }
      ).n,
    );

  beforeAll(async () => {
    bed = await createTestbed();
    const place = (body: Record<string, unknown>) => bed.rest("POST", "/locations", { body });
    await place({ name: "north", type: "campus" });
    for (const b of ["b1", "b2"]) {
      await place({ name: b, type: "building", parent: "north" });
      await place({ name: "room-1", type: "room", parent: `north.${b}` });
      const made = await bed.rest("POST", "/components", {
        body: { name: "display", location: `north.${b}.room-1`, template: "http-json-display" },
      });
      expect(made.status, await made.clone().text()).toBe(200);
      if (b === "b1") displayId = (await json(made)).id as string;
    }
    roomOperator = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "room-op",
        grants: [{ role: "operator", location: "north.b1.room-1" }],
      })
    ).token;
    roomOperatorSeeing = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "room-op-seeing",
        grants: [{ role: "viewer" }, { role: "operator", location: "north.b1.room-1" }],
      })
    ).token;
  });
  afterAll(() => bed.close());

  it("refuses a silence without an expiry, naming expiresAt, and one past the maximum", async () => {
    const before = await audits();
    const missing = await bed.rest("POST", "/silences", {
      body: { matchers: { severities: ["warning"] }, reason: "noisy" },
    });
    expect(missing.status).toBe(400);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
    const problem = await json(missing);
    expect(problem.errors).toEqual([
      expect.objectContaining({ field: "expiresAt", message: expect.stringMatching(/required/) }),
    ]);
    const tooLong = await bed.rest("POST", "/silences", {
      body: { matchers: { severities: ["warning"] }, reason: "noisy", expiresAt: inDays(7.1) },
    });
    expect(tooLong.status).toBe(400);
    expect((await json(tooLong)).errors).toEqual([
      expect.objectContaining({ field: "expiresAt", message: expect.stringMatching(/7 days/) }),
    ]);
    const noMatcher = await bed.rest("POST", "/silences", {
      body: { matchers: {}, reason: "everything", expiresAt: inDays(1) },
    });
    expect(noMatcher.status).toBe(400);
    expect(await audits()).toBe(before);
  });

  it("the configured maximum applies (OMNIGLASS_SILENCE_MAX_DAYS reaches the API as silenceMaxMs)", async () => {
    const saved = bed.deps.silenceMaxMs;
    bed.deps.silenceMaxMs = day;
    try {
      const refused = await bed.rest("POST", "/silences", {
        body: { matchers: { severities: ["info"] }, reason: "short", expiresAt: inDays(2) },
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await json(refused))).toContain("at most 1 day");
    } finally {
      bed.deps.silenceMaxMs = saved;
    }
  });

  it("creates, edits and expires a silence early, one audit row each; ending it twice writes none", async () => {
    const before = await audits();
    const created = await bed.rest("POST", "/silences", {
      body: {
        matchers: { owner: "north.b1", severities: ["warning", "critical"] },
        reason: "lamp ordered",
        expiresAt: inDays(2),
      },
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const silence = await json(created);
    expect(silence).toMatchObject({
      matchers: { owner: "north.b1", severities: ["warning", "critical"] },
      owner: { kind: "location", path: "north.b1" },
      author: { name: "root" },
      state: "active",
      idle: false,
      version: 1,
    });
    const id = silence.id as string;
    const beyond = await bed.rest("PATCH", `/silences/${id}`, { body: { expiresAt: inDays(8) } });
    expect(beyond.status).toBe(400);
    const edited = await bed.rest("PATCH", `/silences/${id}`, {
      body: { reason: "lamp ordered, ticket 4711", version: 1 },
    });
    expect(await json(edited)).toMatchObject({ reason: "lamp ordered, ticket 4711", version: 2 });
    const stale = await bed.rest("PATCH", `/silences/${id}`, {
      body: { reason: "again", version: 1 },
    });
    expect(stale.status).toBe(409);
    const expired = await bed.rest("POST", `/silences/${id}/expire`, { body: {} });
    const ended = await json(expired);
    expect(ended).toMatchObject({ state: "expired", expiredEarly: { at: expect.any(String) } });
    expect(await audits()).toBe(before + 3);
    await bed.rest("POST", `/silences/${id}/expire`, { body: {} });
    expect(await audits()).toBe(before + 3);
    const listed = await json(await bed.rest("GET", "/silences?state=expired"));
    expect((listed.items as { id: string }[]).map((s) => s.id)).toContain(id);
  });

  it("a room operator silences their room but not another building (403 when readable, else 404), and sees only their silences", async () => {
    const body = (owner: string) => ({
      matchers: { owner },
      reason: "works",
      expiresAt: inDays(1),
    });
    const own = await bed.rest("POST", "/silences", {
      token: roomOperator,
      body: body("north.b1.room-1"),
    });
    expect(own.status, await own.clone().text()).toBe(200);
    const other = await bed.rest("POST", "/silences", {
      token: roomOperatorSeeing,
      body: body("north.b2.room-1"),
    });
    expect(other.status).toBe(403);
    const hidden = await bed.rest("POST", "/silences", {
      token: roomOperator,
      body: body("north.b2"),
    });
    expect(hidden.status).toBe(404);
    expect((await json(hidden)).errors).toEqual([
      expect.objectContaining({ field: "matchers.owner" }),
    ]);
    const platform = await bed.rest("POST", "/silences", {
      token: roomOperator,
      body: { matchers: { severities: ["info"] }, reason: "all", expiresAt: inDays(1) },
    });
    expect(platform.status).toBe(403);
    // The owner's silence on the building is out of the room operator's read scope: 404.
    const building = await json(await bed.rest("POST", "/silences", { body: body("north.b2") }));
    expect(
      (await bed.rest("GET", `/silences/${building.id as string}`, { token: roomOperator })).status,
    ).toBe(404);
    const seen = await json(await bed.rest("GET", "/silences", { token: roomOperator }));
    for (const s of seen.items as { owner: { path: string } | null }[])
      expect(s.owner?.path.startsWith("north.b1.room-1")).toBe(true);
  });

  it("a window's errors name the field and the RRULE part", async () => {
    const base = {
      name: "bad",
      scope: { kind: "location", ref: "north" },
      dtstart: "2026-03-08T02:30",
      timeZone: "America/New_York",
      duration: "1h",
    };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ rrule: "FREQ=HOURLY" }, "rrule", /HOURLY/],
      [{ rrule: "FREQ=DAILY;BYSETPOS=1" }, "rrule", /BYSETPOS/],
      [{ timeZone: "Mars/Olympus" }, "timeZone", /IANA/],
      [{ duration: "forever" }, "duration", /duration/],
    ];
    for (const [change, field, message] of cases) {
      const r = await bed.rest("POST", "/maintenance-windows", { body: { ...base, ...change } });
      expect(r.status, JSON.stringify(change)).toBe(400);
      expect((await json(r)).errors).toEqual([
        expect.objectContaining({ field, message: expect.stringMatching(message) }),
      ]);
    }
  });

  it("resolves DST through the API: a skipped start at the transition, a repeated hour once", async () => {
    const created = await bed.rest("POST", "/maintenance-windows", {
      body: {
        name: "ny-nightly",
        label: "Nightly patching",
        scope: { kind: "location", ref: "north.b1" },
        dtstart: "2026-03-07T02:30",
        timeZone: "america/new_york",
        duration: "1h",
        rrule: "FREQ=DAILY;UNTIL=20261102",
      },
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const window = await json(created);
    expect(window).toMatchObject({
      timeZone: "America/New_York",
      scope: { kind: "location", ref: "north.b1" },
      version: 1,
    });
    const draft = await json(
      await bed.rest("POST", "/maintenance-windows/preview", {
        body: {
          window: {
            scope: { kind: "location", ref: "north.b1" },
            dtstart: "2026-03-07T02:30",
            timeZone: "America/New_York",
            duration: "1h",
            rrule: "FREQ=DAILY;COUNT=3",
          },
          count: 3,
        },
      }),
    );
    // Whatever today is, the draft's three occurrences are in the past: nothing next.
    expect(draft.next).toEqual([]);
    const fallBack = await json(
      await bed.rest("POST", "/maintenance-windows/preview", {
        body: {
          window: {
            scope: { kind: "location", ref: "north.b1" },
            dtstart: "2030-03-09T02:30",
            timeZone: "America/New_York",
            duration: "1h",
            rrule: "FREQ=YEARLY;BYMONTH=3,11;BYDAY=1SU,2SU",
          },
          count: 4,
        },
      }),
    );
    // 2030: spring forward on Sunday 10 March (02:30 does not exist → 03:00 EDT = 07:00Z),
    // fall back on Sunday 3 November (01:30 repeats; 02:30 is after it, once).
    const next = fallBack.next as { start: string; localStart: string; dst: string }[];
    expect(next.map((o) => [o.start, o.localStart, o.dst])).toEqual([
      ["2030-03-10T07:00:00.000Z", "2030-03-10T03:00", "gap"],
      ["2030-11-03T07:30:00.000Z", "2030-11-03T02:30", "exact"],
      ["2030-11-10T07:30:00.000Z", "2030-11-10T02:30", "exact"],
      ["2031-03-02T07:30:00.000Z", "2031-03-02T02:30", "exact"],
    ]);
    const repeated = await json(
      await bed.rest("POST", "/maintenance-windows/preview", {
        body: {
          window: {
            scope: { kind: "location", ref: "north" },
            dtstart: "2030-11-03T01:30",
            timeZone: "America/New_York",
            duration: "2h",
          },
          count: 2,
        },
      }),
    );
    expect(repeated.next).toEqual([
      expect.objectContaining({
        start: "2030-11-03T05:30:00.000Z",
        end: "2030-11-03T07:30:00.000Z",
        localStart: "2030-11-03T01:30",
        localEnd: "2030-11-03T02:30",
        dst: "repeated",
      }),
    ]);
    const renamed = await bed.rest("PATCH", "/maintenance-windows/ny-nightly", {
      body: { rrule: "FREQ=WEEKLY;BYDAY=SA", version: 1 },
    });
    expect(await json(renamed)).toMatchObject({ rrule: "FREQ=WEEKLY;BYDAY=SA", version: 2 });
    expect((await bed.rest("DELETE", "/maintenance-windows/ny-nightly")).status).toBe(200);
    expect((await bed.rest("GET", "/maintenance-windows/ny-nightly")).status).toBe(404);
  });

  it("window scope: a room operator writes in their room only; platform windows need scope all", async () => {
    const body = (name: string, scope: Record<string, string>) => ({
      name,
      scope,
      dtstart: "2026-12-05T22:00",
      timeZone: "Europe/London",
      duration: "2h",
      rrule: "FREQ=WEEKLY;BYDAY=SA",
    });
    const own = await bed.rest("POST", "/maintenance-windows", {
      token: roomOperatorSeeing,
      body: body("room-saturdays", { kind: "location", ref: "north.b1.room-1" }),
    });
    expect(own.status, await own.clone().text()).toBe(200);
    const other = await bed.rest("POST", "/maintenance-windows", {
      token: roomOperatorSeeing,
      body: body("b2-saturdays", { kind: "location", ref: "north.b2" }),
    });
    expect(other.status).toBe(403);
    const template = await bed.rest("POST", "/maintenance-windows", {
      token: roomOperatorSeeing,
      body: body("displays", { kind: "template", ref: "http-json-display" }),
    });
    expect(template.status).toBe(403);
    const ownerMade = await bed.rest("POST", "/maintenance-windows", {
      body: body("b2-display", { kind: "owner", ref: "north.b2.room-1.display" }),
    });
    expect(ownerMade.status, await ownerMade.clone().text()).toBe(200);
    const listed = await json(
      await bed.rest("GET", "/maintenance-windows", { token: roomOperator }),
    );
    expect((listed.items as { name: string }[]).map((w) => w.name)).toEqual(["room-saturdays"]);
    expect(
      (await bed.rest("DELETE", "/maintenance-windows/b2-display", { token: roomOperatorSeeing }))
        .status,
    ).toBe(403);
  });

  it("the suppression query finds the window and silences in force for an alarm, in constant statements", async () => {
    const start = new Date(Date.now() - 2 * day);
    const local = start.toISOString().slice(0, 16);
    const made = await bed.rest("POST", "/maintenance-windows", {
      body: {
        name: "now-open",
        scope: { kind: "system", ref: "north.b1.room-1.av" },
        dtstart: local,
        timeZone: "Etc/UTC",
        duration: "72h",
      },
    });
    // No system yet: the reference is a 404 naming the field.
    expect(made.status).toBe(404);
    expect((await json(made)).errors).toEqual([expect.objectContaining({ field: "scope.ref" })]);
    await bed.rest("POST", "/systems", {
      body: { name: "av", type: "meeting-room", location: "north.b1.room-1" },
    });
    await bed.rest("POST", "/systems/north.b1.room-1.av/members", {
      body: { component: "north.b1.room-1.display" },
    });
    const window = await bed.rest("POST", "/maintenance-windows", {
      body: {
        name: "now-open",
        scope: { kind: "system", ref: "north.b1.room-1.av" },
        dtstart: local,
        timeZone: "Etc/UTC",
        duration: "72h",
      },
    });
    expect(window.status, await window.clone().text()).toBe(200);
    expect(await json(window)).toMatchObject({ activeNow: true });
    const silence = await json(
      await bed.rest("POST", "/silences", {
        body: {
          matchers: { owner: "north.b1.room-1.av", severities: ["critical"] },
          reason: "rewiring",
          expiresAt: inDays(1),
        },
      }),
    );
    const facts = (severity: "warning" | "critical", ownerId = displayId): SuppressionFacts => ({
      ruleId: "00000000-0000-7000-8000-000000000000",
      ruleName: "unreachable",
      ownerKind: "component",
      ownerId,
      ownerPath: "north.b1.room-1.display",
      severity,
      templateId: null,
      templateName: "http-json-display@1",
    });
    bed.statements.length = 0;
    const [critical, warning] = await unsafeActiveSuppressions(
      bed.db,
      [facts("critical"), facts("warning")],
      new Date(),
    );
    const few = bed.statements.length;
    expect(critical!.windows.map((w) => w.name)).toEqual(["now-open"]);
    // The room operator's silence of the whole room (any severity) applies to both.
    const roomWide = warning!.silences.map((s) => s.id);
    expect(roomWide).toHaveLength(1);
    expect(critical!.silences.map((s) => s.id).sort()).toEqual([silence.id, ...roomWide].sort());
    expect(warning!.windows.map((w) => w.name)).toEqual(["now-open"]);
    const stamped = await json(await bed.rest("GET", `/silences/${silence.id as string}`));
    expect(stamped.lastMatchedAt).not.toBeNull();
    bed.statements.length = 0;
    await unsafeActiveSuppressions(
      bed.db,
      Array.from({ length: 40 }, (_, i) => facts(i % 2 ? "critical" : "warning")),
      new Date(),
      { touch: false },
    );
    expect(bed.statements.length).toBeLessThanOrEqual(few);
    // Outside its occurrence the window does not apply; an expired silence neither.
    const later = await unsafeActiveSuppressions(bed.db, [facts("critical")], inDaysDate(2));
    expect(later[0]).toEqual({ windows: [], silences: [] });
  });

  it("list pages cost the same statements for 1, 10 and 100 rows (also pinned in list-cost)", async () => {
    await bed.db.execute(
      `insert into maintenance_window (id, name, scope_kind, scope_location_id, dtstart, time_zone, duration, rrule, first_start) select gen_random_uuid(), 'bulk-' || g, 'location', (select id from location where path = 'north.b1'), '2026-12-05T22:00', 'Europe/London', '2h', 'FREQ=WEEKLY;BYDAY=SA', '2026-12-05T22:00Z' from generate_series(1, 15) g` as never,
    );
    await bed.db.execute(
      `insert into silence (id, matchers, owner_kind, owner_location_id, author_name, reason, starts_at, expires_at) select gen_random_uuid(), '{"severities":["info"]}'::jsonb, 'location', (select id from location where path = 'north.b1'), 'root', 'bulk ' || g, now(), now() + interval '1 day' from generate_series(1, 15) g` as never,
    );
    for (const [list, token] of [
      ["/maintenance-windows?filter=scope%3Dlocation&q=bulk", bed.owner.token],
      ["/silences?state=active&q=bulk&order_by=expires_at", bed.owner.token],
      ["/silences", roomOperatorSeeing],
      ["/maintenance-windows", roomOperatorSeeing],
    ] as const) {
      const counts: number[] = [];
      const items: number[] = [];
      // A token's first use in a while stamps it in the lookup itself (one statement fewer).
      await bed.rest("GET", list, { token });
      for (const size of [1, 10, 100]) {
        bed.statements.length = 0;
        const r = await bed.rest(
          "GET",
          `${list}${list.includes("?") ? "&" : "?"}page_size=${size}`,
          {
            token,
          },
        );
        expect(r.status, list).toBe(200);
        items.push(((await r.json()) as { items: unknown[] }).items.length);
        counts.push(bed.statements.length);
      }
      expect(new Set(counts).size, `${list} ${JSON.stringify(counts)}`).toBe(1);
      // Authentication and the page with its total, as list-cost bounds every list.
      expect(counts[0]).toBeLessThanOrEqual(5);
      if (token === bed.owner.token) expect(items[2]).toBeGreaterThan(10);
    }
  });

  const inDaysDate = (n: number) => new Date(Date.now() + n * day);
});
