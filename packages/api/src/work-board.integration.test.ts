import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Alarm } from "@omniglass/contracts";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "./testbed";

/*
 * The work board's facts (issue #16 item 4): an acknowledgement says whether the principal who
 * acknowledged can still act — active, disabled since ("owner gone"), deleted — so the queue can
 * say an owned alarm may have nobody on it instead of guessing. The lane it is listed in does not
 * change: membership is the alarm's own facts.
 */
const DISPLAY = "campus.room.display-1";

describe("the work board's acknowledgement facts", () => {
  let bed: Testbed;
  let operator: { id: string; token: string };

  const json = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await bed.rest(method, path, { body, ...(token ? { token } : {}) });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const acknowledged = async () =>
    (await json("GET", `/alarms?state=open&acknowledged=true&owner=${DISPLAY}`)).items as Alarm[];

  beforeAll(async () => {
    bed = await createTestbed();
    await json("POST", "/locations", { name: "campus", type: "campus" });
    await json("POST", "/locations", { name: "room", type: "room", parent: "campus" });
    await json("POST", "/components", {
      name: "display-1",
      location: "campus.room",
      template: "http-json-display",
    });
    await json("POST", "/rules", {
      name: "board-down",
      severity: "warning",
      fire: 'signals["reachable"] == false',
      scope: { kind: "owner", ref: DISPLAY },
    });
    await json("POST", "/samples", {
      samples: [
        { owner: DISPLAY, signal: "reachable", value: false, ts: new Date().toISOString() },
      ],
    });
    operator = await createTestPrincipal(bed.databaseUrl, {
      name: "board-operator",
      grants: [{ role: "operator" }],
    });
  });
  afterAll(async () => {
    await bed?.close();
  });

  it("an acknowledgement by a principal since disabled reads owner status disabled, same lane", async () => {
    const [open] = (await json("GET", `/alarms?state=open&owner=${DISPLAY}`)).items as Alarm[];
    await json("POST", `/alarms/${open!.id}/acknowledge`, { comment: "on it" }, operator.token);
    expect((await acknowledged()).map((a) => a.acknowledgement)).toMatchObject([
      { by: operator.id, byName: "board-operator", byStatus: "active" },
    ]);

    await json("POST", `/principals/${operator.id}/disable`, {});
    expect((await acknowledged()).map((a) => a.acknowledgement)).toMatchObject([
      { by: operator.id, byName: "board-operator", byStatus: "disabled" },
    ]);
    const detail = await json("GET", `/alarms/${open!.id}`);
    expect(detail.acknowledgement).toMatchObject({ byStatus: "disabled" });

    await json("POST", `/principals/${operator.id}/enable`, {});
    expect((await acknowledged())[0]!.acknowledgement!.byStatus).toBe("active");
  });
});
