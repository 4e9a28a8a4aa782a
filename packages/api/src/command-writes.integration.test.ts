import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlarmDetail } from "@omniglass/contracts";
import { unsafeCountAuditRows } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * Writes from the command center (issue #16 item 8): each is audited in its own transaction (one
 * audit row per change) and idempotent — a retry with the same Idempotency-Key replays the first
 * answer, and repeating the same action does not apply twice (no second timeline event, no second
 * audit row, no second object). An operator makes them, as the console would.
 */
const ROOM = "campus.room";
const display = (n: number) => `${ROOM}.display-${n}`;

describe("command-center writes: audited and idempotent", () => {
  let bed: Testbed;
  let operator: string;
  const alarms: string[] = [];

  async function call(method: string, path: string, body?: unknown, headers = {}) {
    const response = await bed.rest(method, path, { body, token: operator, headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text || "null") };
  }
  const audits = () => unsafeCountAuditRows(bed.db);
  const timeline = async (id: string) =>
    ((await call("GET", `/alarms/${id}`)).body as AlarmDetail).timeline.map((e) => e.kind);

  beforeAll(async () => {
    bed = await createTestbed();
    const owner = (method: string, path: string, body?: unknown) =>
      bed.rest(method, path, { body }).then(async (r) => {
        if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
        return r.json() as Promise<Record<string, unknown>>;
      });
    await owner("POST", "/locations", { name: "campus", type: "campus" });
    await owner("POST", "/locations", { name: "room", type: "room", parent: "campus" });
    for (const n of [1, 2, 3, 4])
      await owner("POST", "/components", {
        name: `display-${n}`,
        location: ROOM,
        template: "http-json-display",
      });
    await owner("POST", "/rules", {
      name: "cmd-down",
      severity: "warning",
      fire: 'signals["reachable"] == false',
      scope: { kind: "location", ref: ROOM },
    });
    await owner("POST", "/samples", {
      samples: [1, 2, 3, 4].map((n) => ({
        owner: display(n),
        signal: "reachable",
        value: false,
        ts: new Date().toISOString(),
      })),
    });
    for (const n of [1, 2, 3, 4]) {
      const list = await owner("GET", `/alarms?state=open&owner=${display(n)}`);
      alarms.push((list.items as { id: string }[])[0]!.id);
    }
    operator = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "cmd-operator",
        grants: [{ role: "operator" }],
      })
    ).token;
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("acknowledge: one audit row; the same acknowledgement again changes nothing", async () => {
    const id = alarms[0]!;
    const before = await audits();
    const first = await call("POST", `/alarms/${id}/acknowledge`, { comment: "on it" });
    expect(first.status).toBe(200);
    expect(await audits()).toBe(before + 1);
    const again = await call("POST", `/alarms/${id}/acknowledge`, { comment: "on it" });
    expect(again.status).toBe(200);
    expect(await audits()).toBe(before + 1);
    expect(await timeline(id)).toEqual(["fired", "acknowledged"]);
    // A different comment is a new fact: a second event and audit row.
    await call("POST", `/alarms/${id}/acknowledge`, { comment: "parts ordered" });
    expect(await audits()).toBe(before + 2);
    expect(await timeline(id)).toEqual(["fired", "acknowledged", "acknowledged"]);
  });

  it("a retry with the same Idempotency-Key replays the answer: one audit row", async () => {
    const id = alarms[1]!;
    const before = await audits();
    const key = { "idempotency-key": "ack-retry-1" };
    const first = await call("POST", `/alarms/${id}/acknowledge`, { comment: "retry" }, key);
    const retry = await call("POST", `/alarms/${id}/acknowledge`, { comment: "retry" }, key);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await audits()).toBe(before + 1);
  });

  it("bulk acknowledge: one audit row per alarm; repeating it changes nothing", async () => {
    const ids = [alarms[2]!, alarms[3]!];
    const before = await audits();
    const first = await call("POST", "/alarms/acknowledge", { ids, comment: "batch" });
    expect(first.body).toMatchObject({ acknowledged: 2 });
    expect(await audits()).toBe(before + 2);
    const again = await call("POST", "/alarms/acknowledge", { ids, comment: "batch" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ acknowledged: 0 });
    expect(await audits()).toBe(before + 2);
    expect(await timeline(ids[0]!)).toEqual(["fired", "acknowledged"]);
  });

  it("unacknowledge: once audited, again a no-op", async () => {
    const id = alarms[2]!;
    const before = await audits();
    expect((await call("POST", `/alarms/${id}/unacknowledge`, {})).status).toBe(200);
    expect((await call("POST", `/alarms/${id}/unacknowledge`, {})).status).toBe(200);
    expect(await audits()).toBe(before + 1);
    expect(await timeline(id)).toEqual(["fired", "acknowledged", "unacknowledged"]);
  });

  it("resolve: once audited; resolving a resolved alarm again is refused, nothing written", async () => {
    const id = alarms[3]!;
    const before = await audits();
    expect((await call("POST", `/alarms/${id}/resolve`, { reason: "fixed" })).status).toBe(200);
    const again = await call("POST", `/alarms/${id}/resolve`, { reason: "fixed" });
    expect(again.status).toBeGreaterThanOrEqual(200);
    expect(again.status).toBeLessThan(500);
    expect(await audits()).toBe(before + 1);
    expect((await timeline(id)).filter((k) => k === "resolved")).toHaveLength(1);
  });

  it("silence: created once under one Idempotency-Key; expired once, again a no-op", async () => {
    const body = {
      matchers: { owner: ROOM, severities: ["info"] },
      reason: "cmd silence",
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const before = await audits();
    const key = { "idempotency-key": "silence-create-1" };
    const first = await call("POST", "/silences", body, key);
    const retry = await call("POST", "/silences", body, key);
    expect(first.status).toBeLessThan(300);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const listed = await call("GET", "/silences?q=cmd%20silence");
    expect((listed.body as { items: unknown[] }).items).toHaveLength(1);
    expect(await audits()).toBe(before + 1);

    const id = (first.body as { id: string }).id;
    expect((await call("POST", `/silences/${id}/expire`, {})).status).toBe(200);
    const again = await call("POST", `/silences/${id}/expire`, {});
    expect(again.status).toBeLessThan(500);
    expect(await audits()).toBe(before + 2);
  });
});
