import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OwnerHealth, Rule } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * System rules over REST (issue #13 §1): "role below quorum" created through POST /rules with
 * ownerKind system, judged when the system is judged, its system alarm named by the system's health;
 * a component variable in a system rule refused with a 400 naming the field and the position.
 */
const DISPLAY = "campus.hq.room-1.display-1";
const AV = "campus.hq.room-1.av";

describe("system rules over REST", () => {
  let bed: Testbed;

  async function rest(method: string, path: string, body?: unknown, token?: string) {
    const response = await bed.rest(method, path, { body, ...(token ? { token } : {}) });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  }

  beforeAll(async () => {
    bed = await createTestbed();
    await rest("POST", "/locations", { name: "campus", type: "campus" });
    await rest("POST", "/locations", { name: "hq", type: "building", parent: "campus" });
    await rest("POST", "/locations", { name: "room-1", type: "room", parent: "campus.hq" });
    await rest("POST", "/locations", { name: "annex", type: "building", parent: "campus" });
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
  });
  afterAll(() => bed.close());

  it("creates a role-below-quorum rule whose system alarm the system's health names", async () => {
    const created = await rest("POST", "/rules", {
      name: "displays-below-quorum",
      label: "displays below quorum",
      ownerKind: "system",
      severity: "critical",
      fire: 'roles["displays"].working < roles["displays"].quorum',
      scope: { kind: "system", ref: AV },
    });
    expect(created.status, JSON.stringify(created.body)).toBeLessThan(300);
    const rule = Rule.parse(created.body);
    expect(rule).toMatchObject({ ownerKind: "system", scope: { kind: "system", ref: AV } });

    // The role and its only member (not monitored: unknown, so 0 of 1 working): the member's
    // write judges the system, and the rule with it.
    await rest("POST", `/systems/${AV}/roles`, {
      name: "displays",
      accepts: ["display"],
      quorum: 1,
      impact: "outage",
    });
    const member = await rest("POST", `/systems/${AV}/members`, {
      component: DISPLAY,
      role: "displays",
    });
    expect(member.status, JSON.stringify(member.body)).toBeLessThan(300);

    // Its system alarm, named by the system's health over REST.
    const health = OwnerHealth.parse((await rest("GET", `/systems/${AV}/health`)).body);
    expect(health).toMatchObject({
      verdict: "outage",
      explanation: "outage: av displays below quorum",
    });
    expect(health.causes).toContainEqual(
      expect.objectContaining({ kind: "alarm", rule: "displays-below-quorum", owner: AV }),
    );
    expect(health.causes).toContainEqual(
      expect.objectContaining({ kind: "role", role: "displays", working: 0, quorum: 1 }),
    );

    // Listed like any alarm: by the system, by its location, and acknowledged (audited at it).
    for (const owner of [AV, "campus.hq"]) {
      const listed = await rest("GET", `/alarms?state=open&owner=${owner}`);
      const items = listed.body.items as { id: string; owner: unknown; rule: { name: string } }[];
      const systemAlarms = items.filter((a) => a.rule.name === "displays-below-quorum");
      expect(systemAlarms, owner).toHaveLength(1);
      expect(systemAlarms[0]!.owner).toMatchObject({ kind: "system", path: AV });
    }
    const [open] = (await rest("GET", `/alarms?state=open&owner=${AV}&rule=displays-below-quorum`))
      .body.items as { id: string }[];
    // Scoped like its system: another building's operator neither lists nor reads it; a grant on
    // the system alone sees it.
    const annex = await createTestPrincipal(bed.databaseUrl, {
      name: "op-annex",
      grants: [{ role: "operator", location: "campus.annex" }],
    });
    const hidden = await rest("GET", "/alarms?state=open", undefined, annex.token);
    expect((hidden.body.items as { id: string }[]).map((a) => a.id)).not.toContain(open!.id);
    expect((await rest("GET", `/alarms/${open!.id}`, undefined, annex.token)).status).toBe(404);
    const roomOnly = await createTestPrincipal(bed.databaseUrl, {
      name: "viewer-av",
      grants: [{ role: "viewer", system: AV }],
    });
    expect((await rest("GET", `/alarms/${open!.id}`, undefined, roomOnly.token)).status).toBe(200);

    const acked = await rest("POST", `/alarms/${open!.id}/acknowledge`, { comment: "on it" });
    expect(acked.status, JSON.stringify(acked.body)).toBe(200);
    expect(acked.body).toMatchObject({ acknowledgement: { comment: "on it" } });
  });

  it("refuses a component variable in a system rule, naming fire and the position", async () => {
    const refused = await rest("POST", "/rules", {
      name: "mixed",
      ownerKind: "system",
      severity: "warning",
      fire: 'signals["reachable"] == false',
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("`signals` is a component-rule variable");
    expect(refused.body).toMatchObject({
      errors: [expect.objectContaining({ field: "fire" })],
    });
  });
});
