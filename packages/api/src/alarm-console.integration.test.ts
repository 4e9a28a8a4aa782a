import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlarmDetail, type AuditEntry, Problem, type Rule } from "@omniglass/contracts";
import { COLLECTOR_DOWN_RULE_ID, unsafeEnsureCollectorRule } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * What the alarm console needs of the API (issue #13): a template rule switched off and on by an
 * operator with rule:update (audited; any other field refused naming it) and a disabled one not
 * evaluating; "resolved recently" newest resolution first, keyset-paginated, since an instant;
 * timeline events naming who; CEL errors carrying their line and column as fields.
 */
const DISPLAYS = ["display-a", "display-b", "display-c"];
const ownerOf = (name: string) => `campus.room.${name}`;

describe("the alarm console's API", () => {
  let bed: Testbed;
  let author: string;

  async function rest(method: string, path: string, body?: unknown, token?: string) {
    const response = await bed.rest(method, path, {
      body,
      ...(token !== undefined ? { token } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
  }
  const push = (name: string, value: boolean, ts: number) =>
    rest("POST", "/samples", {
      samples: [
        { owner: ownerOf(name), signal: "reachable", value, ts: new Date(ts).toISOString() },
      ],
    });
  const alarms = async (query: string) => {
    const r = await rest("GET", `/alarms?${query}`);
    expect(r.status, r.text).toBe(200);
    return r.body as { items: AlarmDetail[]; totalSize: number; nextPageToken: string | null };
  };
  /** Down for 130 s (past the template rule's 2 min sustain) from `t0`, then `up` at `upAt`. */
  async function outage(name: string, t0: number, upAt: number | null) {
    for (const s of [0, 60, 125]) expect((await push(name, false, t0 + s * 1000)).status).toBe(202);
    if (upAt !== null) expect((await push(name, true, upAt)).status).toBe(202);
  }

  beforeAll(async () => {
    bed = await createTestbed();
    await unsafeEnsureCollectorRule(bed.db);
    await rest("POST", "/locations", { name: "campus", type: "campus" });
    await rest("POST", "/locations", { name: "room", type: "room", parent: "campus" });
    for (const name of DISPLAYS)
      await rest("POST", "/components", {
        name,
        location: "campus.room",
        template: "http-json-display",
      });
    author = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "rule-author",
        grants: [{ role: "admin" }],
      })
    ).token;
  });
  afterAll(async () => {
    await bed.close();
  });

  async function unreachableRule() {
    const list = await rest(
      "GET",
      "/rules?filter=origin%3Dtemplate%20template%3Dhttp-json-display",
    );
    return (list.body.items as Rule[]).find((r) => r.name === "unreachable")!;
  }

  it("a template rule takes only `enabled`: any other field is refused naming it", async () => {
    const rule = await unreachableRule();
    const severity = await rest("PATCH", `/rules/${rule.id}`, { severity: "info" });
    expect(severity.status).toBe(403);
    expect(Problem.parse(severity.body).errors?.map((e) => e.field)).toEqual(["severity"]);
    expect(Problem.parse(severity.body).detail).toMatch(
      /template rule and read-only but for enabled: severity cannot change/,
    );
    const mixed = await rest("PATCH", `/rules/${rule.id}`, {
      enabled: false,
      sustainSeconds: 10,
      scope: { kind: "all" },
    });
    expect(mixed.status).toBe(403);
    expect(Problem.parse(mixed.body).errors?.map((e) => e.field)).toEqual([
      "sustainSeconds",
      "scope",
    ]);
    expect((await unreachableRule()).enabled).toBe(true);
  });

  it("a built-in rule is switched off and on the same way, and takes nothing else", async () => {
    const off = await rest("PATCH", `/rules/${COLLECTOR_DOWN_RULE_ID}`, { enabled: false }, author);
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({ origin: "builtin", enabled: false, version: 2 });
    const fire = await rest("PATCH", `/rules/${COLLECTOR_DOWN_RULE_ID}`, { fire: "true" }, author);
    expect(fire.status).toBe(403);
    expect(Problem.parse(fire.body).errors?.map((e) => e.field)).toEqual(["fire"]);
    expect(Problem.parse(fire.body).detail).toMatch(/built-in rule and read-only but for enabled/);
    const on = await rest("PATCH", `/rules/${COLLECTOR_DOWN_RULE_ID}`, { enabled: true }, author);
    expect(on.body).toMatchObject({ enabled: true, version: 3 });
  });

  it("a disabled template rule stops evaluating; enabled again it fires; both audited", async () => {
    const rule = await unreachableRule();
    const viewer = (
      await createTestPrincipal(bed.databaseUrl, { name: "viewer", grants: [{ role: "viewer" }] })
    ).token;
    expect((await rest("PATCH", `/rules/${rule.id}`, { enabled: false }, viewer)).status).toBe(403);

    const off = await rest("PATCH", `/rules/${rule.id}`, { enabled: false }, author);
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({
      enabled: false,
      origin: "template",
      version: rule.version + 1,
    });
    const t0 = Date.now() - 25 * 60_000;
    await outage("display-a", t0, null);
    expect((await alarms("owner=campus.room.display-a")).totalSize).toBe(0);

    const on = await rest(
      "PATCH",
      `/rules/${rule.id}`,
      { enabled: true, version: rule.version + 1 },
      author,
    );
    expect(on.status, on.text).toBe(200);
    await push("display-a", false, t0 + 140_000);
    await push("display-a", false, t0 + 270_000);
    expect((await alarms("state=open&owner=campus.room.display-a")).totalSize).toBe(1);
    await push("display-a", true, t0 + 300_000);

    const audit = await rest("GET", `/audit-log?resource=rule&resource_id=${rule.id}`);
    const entries = audit.body.items as AuditEntry[];
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => (e.after as Rule).enabled).sort()).toEqual([false, true]);
  });

  it("resolved recently: newest resolution first, since an instant, a page at a time", async () => {
    // Fired in the order a, b, c; resolved in the order c, a, b (a resolved earlier in the test).
    const t0 = Date.now() - 15 * 60_000;
    await outage("display-b", t0, t0 + 600_000);
    await outage("display-c", t0 + 10_000, t0 + 400_000);
    const since = new Date(t0).toISOString();
    const first = await alarms(
      `order_by=-resolvedAt&resolvedSince=${encodeURIComponent(since)}&page_size=1`,
    );
    expect(first.totalSize).toBe(2);
    expect(first.items.map((a) => a.owner.path)).toEqual([ownerOf("display-b")]);
    const second = await alarms(
      `order_by=-resolvedAt&resolvedSince=${encodeURIComponent(since)}&page_size=1&page_token=${first.nextPageToken}`,
    );
    expect(second.items.map((a) => a.owner.path)).toEqual([ownerOf("display-c")]);
    expect(second.nextPageToken).toBeNull();
    // Without the instant, display-a's earlier resolution comes last; by opening, c comes first.
    const all = await alarms("order_by=-resolvedAt");
    expect(all.items.map((a) => a.owner.path)).toEqual(
      ["display-b", "display-c", "display-a"].map(ownerOf),
    );
    const resolvedAt = all.items.map((a) => a.resolvedAt!);
    expect([...resolvedAt].sort().reverse()).toEqual(resolvedAt);
    const opened = await alarms("state=resolved");
    expect(opened.items[0]!.owner.path).toBe(ownerOf("display-c"));

    const open = await rest("GET", "/alarms?order_by=-resolvedAt&state=open");
    expect(open.status).toBe(400);
    expect(Problem.parse(open.body).errors?.[0]?.field).toBe("order_by");
    const badSince = await rest("GET", "/alarms?resolvedSince=yesterday");
    expect(badSince.status).toBe(400);
    expect(Problem.parse(badSince.body).errors?.[0]?.field).toBe("resolvedSince");
  });

  it("timeline events name who did them; the rule's own events name no one", async () => {
    const [alarm] = (await alarms(`owner=${ownerOf("display-b")}`)).items;
    const acked = await rest(
      "POST",
      `/alarms/${alarm!.id}/acknowledge`,
      { comment: "seen" },
      author,
    );
    expect(acked.status, acked.text).toBe(200);
    const detail = (await rest("GET", `/alarms/${alarm!.id}`)).body as AlarmDetail;
    expect(detail.timeline.map((e) => [e.kind, e.byName])).toEqual([
      ["fired", null],
      ["resolved", null],
      ["acknowledged", "rule-author"],
    ]);
  });

  it("a CEL error carries its line and column as fields, the message kept", async () => {
    const bad = await rest("POST", "/rules", {
      name: "broken",
      severity: "warning",
      fire: 'signals["reachable"] == false &&\n  signals["temperature"] >',
    });
    expect(bad.status).toBe(400);
    const [error] = Problem.parse(bad.body).errors ?? [];
    expect(error).toMatchObject({ field: "fire", line: 2 });
    expect(error!.column).toBeGreaterThan(1);
    expect(error!.message).toContain(`line 2, column ${error!.column}`);
    const reserved = await rest("POST", "/rules", {
      name: "reserved",
      severity: "warning",
      fire: 'signals["info"].type == "x"',
    });
    expect(Problem.parse(reserved.body).errors?.[0]).toMatchObject({
      field: "fire",
      line: 1,
      column: 17,
    });
  });
});
