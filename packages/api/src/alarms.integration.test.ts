import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlarmDetail, Problem, type Rule, type RulePreview } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * Rules and alarms over REST (issue #13): CEL refused at its position, a rule firing from pushed
 * samples, the alarm listed by owner, acknowledged (audited, scoped), an ack racing the clear, a
 * manual resolve, bulk acknowledge all or nothing, and the preview of what would have fired.
 */
const HQ_DISPLAY = "campus.hq.room-1.display-1";
const ANNEX_DISPLAY = "campus.annex.display-2";

describe("rules and alarms over REST", () => {
  let bed: Testbed;
  let operatorHq: string;
  let viewer: string;

  async function rest(method: string, path: string, body?: unknown, token?: string) {
    const response = await bed.rest(method, path, {
      body,
      ...(token !== undefined ? { token } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  }
  const push = (owner: string, value: boolean, ts: number) =>
    rest("POST", "/samples", {
      samples: [{ owner, signal: "reachable", value, ts: new Date(ts).toISOString() }],
    });
  const openAlarms = async (query: string, token?: string) =>
    (await rest("GET", `/alarms?${query}`, undefined, token)).body as {
      items: AlarmDetail[];
      totalSize: number;
    };

  beforeAll(async () => {
    bed = await createTestbed();
    await rest("POST", "/locations", { name: "campus", type: "campus" });
    for (const name of ["hq", "annex"])
      await rest("POST", "/locations", { name, type: "building", parent: "campus" });
    await rest("POST", "/locations", { name: "room-1", type: "room", parent: "campus.hq" });
    await rest("POST", "/components", {
      name: "display-1",
      location: "campus.hq.room-1",
      template: "http-json-display",
    });
    await rest("POST", "/components", {
      name: "display-2",
      location: "campus.annex",
      template: "http-json-display",
    });
    operatorHq = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "op-hq",
        grants: [{ role: "operator", location: "campus.hq" }],
      })
    ).token;
    viewer = (
      await createTestPrincipal(bed.databaseUrl, { name: "viewer", grants: [{ role: "viewer" }] })
    ).token;
  });
  afterAll(async () => {
    await bed.close();
  });

  it("refuses a rule whose CEL does not parse, naming the field and the position", async () => {
    const bad = await rest("POST", "/rules", {
      name: "broken",
      severity: "warning",
      fire: 'signals["temperature"] >',
    });
    expect(bad.status).toBe(400);
    const problem = Problem.parse(bad.body);
    expect(problem.errors?.[0]?.field).toBe("fire");
    expect(problem.errors?.[0]?.message).toMatch(/line 1, column \d+/);
    const reserved = await rest("POST", "/rules", {
      name: "reserved",
      severity: "warning",
      fire: 'signals["x"] == true',
      clear: 'signals["info"].type == "ok"',
    });
    expect(reserved.status).toBe(400);
    expect(Problem.parse(reserved.body).errors?.[0]).toMatchObject({ field: "clear" });
    expect(Problem.parse(reserved.body).detail).toContain('write ["type"] instead');
  });

  it("lists the official template rules, read-only", async () => {
    const list = await rest(
      "GET",
      "/rules?filter=origin%3Dtemplate%20template%3Dhttp-json-display",
    );
    const items = (list.body.items as Rule[]).map((r) => r.name);
    expect(items).toContain("unreachable");
    const unreachable = (list.body.items as Rule[]).find((r) => r.name === "unreachable")!;
    expect(unreachable).toMatchObject({
      sustainSeconds: 120,
      origin: "template",
      severity: "critical",
    });
    const edit = await rest("PATCH", `/rules/${unreachable.id}`, { severity: "info" });
    expect(edit.status).toBe(403);
  });

  it("the unreachable rule opens one alarm from pushed samples; listed by owner and scoped; acknowledged and resolved", async () => {
    const t0 = Date.now() - 6 * 60_000;
    for (const s of [0, 30, 60, 90, 125])
      expect((await push(HQ_DISPLAY, false, t0 + s * 1000)).status).toBe(202);
    await push(ANNEX_DISPLAY, false, t0);
    await push(ANNEX_DISPLAY, false, t0 + 130_000);

    const room = await openAlarms("state=open&owner=campus.hq.room-1");
    expect(room.items).toHaveLength(1);
    const alarm = room.items[0]!;
    expect(alarm).toMatchObject({
      lifecycle: "open",
      severity: "critical",
      owner: { kind: "component", path: HQ_DISPLAY },
      acknowledgement: null,
      openedAt: new Date(t0 + 120_000).toISOString(),
    });
    expect((await openAlarms("state=open")).totalSize).toBe(2);
    expect((await openAlarms("state=open", operatorHq)).items.map((a) => a.owner.path)).toEqual([
      HQ_DISPLAY,
    ]);
    // A reference out of read scope is a 404, exactly like a missing one.
    expect(
      (await rest("GET", `/alarms?owner=${ANNEX_DISPLAY}`, undefined, operatorHq)).status,
    ).toBe(404);

    // The operator acknowledges (audited); a viewer may not; out of scope is 404.
    const annexAlarm = (await openAlarms(`owner=${ANNEX_DISPLAY}`)).items[0]!;
    expect(
      (await rest("POST", `/alarms/${annexAlarm.id}/acknowledge`, { comment: "x" }, operatorHq))
        .status,
    ).toBe(404);
    expect(
      (await rest("POST", `/alarms/${alarm.id}/acknowledge`, { comment: "x" }, viewer)).status,
    ).toBe(403);
    const acked = await rest(
      "POST",
      `/alarms/${alarm.id}/acknowledge`,
      { comment: "Checking the PSU", expiresInMinutes: 60 },
      operatorHq,
    );
    expect(acked.status, acked.text).toBe(200);
    expect((acked.body as AlarmDetail).acknowledgement).toMatchObject({
      comment: "Checking the PSU",
      byName: "op-hq",
    });
    expect((acked.body as AlarmDetail).lifecycle).toBe("open");
    const audit = await rest("GET", "/audit-log");
    expect(JSON.stringify(audit.body)).toContain("acknowledge");
    expect((await openAlarms("acknowledged=true")).items.map((a) => a.id)).toEqual([alarm.id]);

    // The clear sample resolves it; the acknowledgement stays a separate fact.
    await push(HQ_DISPLAY, true, t0 + 200_000);
    const detail = (await rest("GET", `/alarms/${alarm.id}`)).body as AlarmDetail;
    expect(detail).toMatchObject({ lifecycle: "resolved", resolvedBy: null });
    expect(detail.resolvedAt).toBe(new Date(t0 + 200_000).toISOString());
    expect(detail.acknowledgement?.comment).toBe("Checking the PSU");
    expect(detail.timeline.map((e) => e.kind)).toEqual(["fired", "acknowledged", "resolved"]);
    expect(detail.timeline[0]!.sampleAt).toBe(new Date(t0 + 125_000).toISOString());

    // Resolved by hand, with a reason; twice is a 409.
    const noReason = await rest("POST", `/alarms/${annexAlarm.id}/resolve`, {});
    expect(noReason.status).toBe(400);
    const resolved = await rest("POST", `/alarms/${annexAlarm.id}/resolve`, {
      reason: "Display removed for repair",
    });
    expect(resolved.status, resolved.text).toBe(200);
    expect(resolved.body).toMatchObject({
      lifecycle: "resolved",
      resolvedBy: bed.owner.id,
      resolveReason: "Display removed for repair",
    });
    expect(
      (await rest("POST", `/alarms/${annexAlarm.id}/resolve`, { reason: "again" })).status,
    ).toBe(409);
  });

  it("an acknowledge racing the clear: both apply, as separate facts", async () => {
    const t0 = Date.now() - 4 * 60_000;
    await push(ANNEX_DISPLAY, false, t0 + 10_000);
    await push(ANNEX_DISPLAY, true, t0 + 20_000);
    await push(ANNEX_DISPLAY, false, t0 + 30_000);
    await push(ANNEX_DISPLAY, false, t0 + 160_000);
    const [alarm] = (await openAlarms(`state=open&owner=${ANNEX_DISPLAY}`)).items;
    expect(alarm).toBeDefined();
    const [ack, clear] = await Promise.all([
      rest("POST", `/alarms/${alarm!.id}/acknowledge`, { comment: "racing" }),
      push(ANNEX_DISPLAY, true, t0 + 170_000),
    ]);
    expect(ack.status, ack.text).toBe(200);
    expect(clear.status).toBe(202);
    const detail = (await rest("GET", `/alarms/${alarm!.id}`)).body as AlarmDetail;
    expect(detail.lifecycle).toBe("resolved");
    expect(detail.acknowledgement?.comment).toBe("racing");
    const kinds = detail.timeline.map((e) => e.kind);
    expect(kinds).toContain("acknowledged");
    expect(kinds[kinds.length - 1] === "resolved" || kinds.includes("resolved")).toBe(true);
    expect(detail.timeline.map((e) => e.seq)).toEqual(detail.timeline.map((_, i) => i + 1));
  });

  it("bulk acknowledge is all or nothing", async () => {
    const all = (await openAlarms("")).items.map((a) => a.id);
    expect(all.length).toBeGreaterThan(0);
    const missing = await rest("POST", "/alarms/acknowledge", {
      ids: [...all, "0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0d"],
      comment: "bulk",
    });
    expect(missing.status).toBe(404);
    expect(
      (await openAlarms("acknowledged=true")).items.every(
        (a) => a.acknowledgement?.comment !== "bulk",
      ),
    ).toBe(true);
    // A viewer reads them all but may acknowledge none: 403, nothing changed.
    const refused = await rest(
      "POST",
      "/alarms/acknowledge",
      { ids: all, comment: "bulk" },
      viewer,
    );
    expect(refused.status).toBe(403);
    const ok = await rest("POST", "/alarms/acknowledge", { ids: all, comment: "bulk" });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toEqual({ acknowledged: all.length });
    // Each alarm: acknowledged with its own timeline event and its own audit row.
    for (const id of all) {
      const detail = (await rest("GET", `/alarms/${id}`)).body as AlarmDetail;
      expect(detail.acknowledgement).toMatchObject({ comment: "bulk" });
      expect(detail.timeline.filter((e) => e.comment === "bulk")).toEqual([
        expect.objectContaining({ kind: "acknowledged", seq: detail.timeline.length }),
      ]);
    }
    const audit = (await rest("GET", "/audit-log?page_size=100&filter=verb%3Dacknowledge")).body
      .items as { resourceId: string; after: { acknowledgement: { comment: string } | null } }[];
    for (const id of all)
      expect(
        audit.filter((r) => r.resourceId === id && r.after.acknowledgement?.comment === "bulk"),
      ).toHaveLength(1);
    const un = await rest("POST", `/alarms/${all[0]}/unacknowledge`);
    expect((un.body as AlarmDetail).acknowledgement).toBeNull();
  });

  it("a custom rule: created, previewed over history (would have fired and cleared), deleted", async () => {
    const created = await rest("POST", "/rules", {
      name: "display-down",
      severity: "warning",
      fire: 'signals["reachable"] == false',
      sustainSeconds: 60,
      scope: { kind: "location", ref: "campus.hq" },
    });
    expect(created.status, created.text).toBe(200);
    const preview = await rest("POST", "/rules/display-down/preview", { hours: 1 });
    expect(preview.status, preview.text).toBe(200);
    const body = preview.body as RulePreview;
    expect(body.owners).toBe(1);
    expect(body.truncated).toBe(false);
    expect(body.episodes).toHaveLength(1);
    expect(body.episodes[0]!.owner.path).toBe(HQ_DISPLAY);
    expect(body.episodes[0]!.clearedAt, JSON.stringify(body)).not.toBeNull();

    const draft = await rest("POST", "/rules/preview", {
      rule: { severity: "info", fire: 'signals["reachable"] == false', scope: { kind: "all" } },
      hours: 1,
    });
    expect(draft.status, draft.text).toBe(200);
    expect((draft.body as RulePreview).owners).toBe(2);
    expect((draft.body as RulePreview).episodes.length).toBeGreaterThanOrEqual(3);

    const deleted = await rest("DELETE", "/rules/display-down");
    expect(deleted.status).toBe(200);
    expect((await rest("GET", "/rules/display-down")).status).toBe(404);
  });
});
