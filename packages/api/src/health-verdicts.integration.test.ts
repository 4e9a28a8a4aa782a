import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Component,
  HealthHistory,
  OwnerHealth,
  Problem,
  type System,
  type AlarmDetail,
} from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * Estate health over REST (issue #13 §5, §6): a component's, a system's and a location's verdict
 * with since and the cause chain, moved by the ingest that opened an alarm and by the operator
 * who resolved it; history and availability; health on every row; scope as the owner's own.
 */
const DISPLAY = "campus.hq.room-1.display-1";
const AV = "campus.hq.room-1.av";

describe("estate health over REST", () => {
  let bed: Testbed;
  let annexViewer: string;

  async function rest(method: string, path: string, body?: unknown, token?: string | null) {
    const response = await bed.rest(method, path, {
      body,
      ...(token !== undefined ? { token } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }
  const health = async (path: string, token?: string) => {
    const r = await rest("GET", `${path}/health`, undefined, token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return OwnerHealth.parse(r.body);
  };
  const push = (value: boolean, ts: number) =>
    rest("POST", "/samples", {
      samples: [{ owner: DISPLAY, signal: "reachable", value, ts: new Date(ts).toISOString() }],
    });

  beforeAll(async () => {
    bed = await createTestbed();
    await rest("POST", "/locations", { name: "campus", type: "campus" });
    for (const name of ["hq", "annex"])
      await rest("POST", "/locations", { name, type: "building", parent: "campus" });
    await rest("POST", "/locations", { name: "room-1", type: "room", parent: "campus.hq" });
    await rest("POST", "/locations", { name: "room-2", type: "room", parent: "campus.annex" });
    await rest("POST", "/components", {
      name: "display-1",
      location: "campus.hq.room-1",
      template: "http-json-display",
    });
    await rest("POST", "/systems", {
      name: "av",
      type: "meeting-room",
      location: "campus.hq.room-1",
    });
    await rest("POST", `/systems/${AV}/roles`, {
      name: "displays",
      accepts: ["display"],
      quorum: 1,
      impact: "outage",
    });
    await rest("POST", `/systems/${AV}/members`, { component: DISPLAY, role: "displays" });
    annexViewer = (
      await createTestPrincipal(bed.databaseUrl, {
        name: "annex-viewer",
        grants: [{ role: "viewer", location: "campus.annex.room-2" }],
      })
    ).token;
  });
  afterAll(() => bed.close());

  it("a component nothing observes is unknown (not monitored), and so is what it fills, up the tree", async () => {
    const display = await health(`/components/${DISPLAY}`);
    expect(display).toMatchObject({
      owner: { kind: "component", path: DISPLAY },
      verdict: "unknown",
      explanation: "unknown: display-1 is not monitored (no node polls it)",
      causes: [{ kind: "not-monitored", owner: DISPLAY }],
    });
    const system = await health(`/systems/${AV}`);
    expect(system.verdict).toBe("unknown");
    expect(system.explanation).toBe(
      "unknown: role displays 0 of 1 working — display-1 is not monitored (no node polls it)",
    );
    expect((await health("/locations/campus")).verdict).toBe("unknown");
    // An empty room is judged too (nothing in it is wrong).
    expect((await health("/locations/campus.annex.room-2")).verdict).toBe("healthy");
  });

  it("pushed data makes it healthy; the unreachable rule's alarm makes it an outage naming the leaf; a resolve brings it back, each with an exact since", async () => {
    const t0 = Date.now() - 6 * 60_000;
    expect((await push(true, t0)).status).toBe(202);
    expect((await health(`/components/${DISPLAY}`)).verdict).toBe("healthy");
    const healthy = await health(`/systems/${AV}`);
    expect(healthy).toMatchObject({ verdict: "healthy", explanation: "healthy", causes: [] });

    for (const s of [30, 60, 120, 155]) expect((await push(false, t0 + s * 1000)).status).toBe(202);
    const alarms = (await rest("GET", `/alarms?state=open&owner=${DISPLAY}`)).body
      .items as AlarmDetail[];
    expect(alarms).toHaveLength(1);
    const outage = await health(`/systems/${AV}`);
    expect(outage).toMatchObject({
      verdict: "outage",
      explanation: "outage: role displays 0 of 1 working — display-1 unreachable",
      leaves: [{ kind: "alarm", alarmId: alarms[0]!.id, owner: DISPLAY, severity: "critical" }],
    });
    // since: the commit's time, not the sample's, and after the healthy one.
    expect(Date.parse(outage.since)).toBeGreaterThan(Date.parse(healthy.since));
    expect((await health("/locations/campus")).verdict).toBe("outage");

    const resolved = await rest("POST", `/alarms/${alarms[0]!.id}/resolve`, {
      reason: "cable replaced",
    });
    expect(resolved.status).toBe(200);
    const back = await health(`/systems/${AV}`);
    expect(back.verdict).toBe("healthy");
    expect(Date.parse(back.since)).toBeGreaterThan(Date.parse(outage.since));

    const history = HealthHistory.parse((await rest("GET", `/systems/${AV}/health/history`)).body);
    expect(history.transitions.map((t) => [t.previous, t.verdict])).toEqual([
      ["outage", "healthy"],
      ["healthy", "outage"],
      ["unknown", "healthy"],
      // Created empty, then its role (nothing installed yet), then the display filling it.
      ["incomplete", "unknown"],
      [null, "incomplete"],
    ]);
    expect(history.transitions[1]).toMatchObject({ at: outage.since });
    expect(history.availability.available).not.toBeNull();
    expect(history.availability.byVerdict.outage).toBeGreaterThan(0);
    const sum = Object.values(history.availability.byVerdict).reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(1);
  });

  it("every component, system and location row carries its health", async () => {
    const components = (await rest("GET", "/components")).body.items as Component[];
    expect(components.find((c) => c.path === DISPLAY)?.health).toMatchObject({
      verdict: "healthy",
    });
    const systems = (await rest("GET", "/systems")).body.items as System[];
    expect(systems[0]?.health?.verdict).toBe("healthy");
    const detail = (await rest("GET", `/systems/${AV}`)).body as System;
    expect(detail.health).toEqual({
      verdict: "healthy",
      since: (await health(`/systems/${AV}`)).since,
    });
    const locations = (await rest("GET", "/locations")).body.items as {
      path: string;
      health: unknown;
    }[];
    expect(locations.every((l) => l.health !== null)).toBe(true);
  });

  it("scope: a viewer of one room reads its health, and another room's is the same 404 as a missing one", async () => {
    expect((await health("/locations/campus.annex.room-2", annexViewer)).verdict).toBe("healthy");
    const missing = await rest(
      "GET",
      "/components/campus.annex.room-2.nothing/health",
      undefined,
      annexViewer,
    );
    for (const path of [
      `/components/${DISPLAY}/health`,
      `/components/${DISPLAY}/health/history`,
      `/systems/${AV}/health`,
      "/locations/campus.hq.room-1/health/history",
    ]) {
      const hidden = await rest("GET", path, undefined, annexViewer);
      expect(hidden.status, path).toBe(404);
      expect(Problem.parse(hidden.body).title).toBe(Problem.parse(missing.body).title);
    }
    expect(missing.status).toBe(404);
  });

  it("refuses a bad window naming the field, never a 500", async () => {
    const backwards = await rest(
      "GET",
      `/systems/${AV}/health/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(backwards.status).toBe(400);
    expect(Problem.parse(backwards.body).errors?.[0]?.field).toBe("from");
    const badLimit = await rest("GET", `/systems/${AV}/health/history?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(Problem.parse(badLimit.body).errors?.[0]?.field).toBe("limit");
    const badTime = await rest("GET", `/systems/${AV}/health/history?from=yesterday`);
    expect(badTime.status).toBe(400);
    expect(Problem.parse(badTime.body).errors?.[0]?.field).toBe("from");
  });
});
