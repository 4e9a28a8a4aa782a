import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlarmDetail, AlarmsChanged, HealthChanged } from "@omniglass/contracts";
import { createTestbed, type Testbed } from "../../testbed";

/*
 * The operator's changes reach the console's live alarm stream: acknowledge, unacknowledge,
 * resolve and bulk acknowledge tell the host after their commit, and a refused one tells nothing;
 * the push API tells what the rules it fired opened.
 */
describe("alarm procedures notify the live stream after the commit", () => {
  let bed: Testbed;
  const notices: Omit<AlarmsChanged, "at">[] = [];
  const verdicts: HealthChanged[] = [];

  async function rest(method: string, path: string, body?: unknown) {
    const response = await bed.rest(method, path, { body });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    bed = await createTestbed();
    bed.deps.onAlarmsChanged = (changes) => notices.push(...changes);
    bed.deps.onHealthChanged = (changes) => verdicts.push(...changes);
    await rest("POST", "/locations", { name: "site", type: "building" });
    for (const name of ["d1", "d2"])
      await rest("POST", "/components", {
        name,
        location: "site",
        template: "http-json-display",
      });
    // The official `unreachable` rule (critical, 2 min) opens one alarm per display.
    const t0 = Date.now() - 5 * 60_000;
    for (const name of ["d1", "d2"])
      for (const s of [0, 130])
        await rest("POST", "/samples", {
          samples: [
            {
              owner: `site.${name}`,
              signal: "reachable",
              value: false,
              ts: new Date(t0 + s * 1000).toISOString(),
            },
          ],
        });
  });
  afterAll(async () => {
    await bed.close();
  });

  it("names the alarm, the change, its owner and severity", async () => {
    const list = await rest("GET", "/alarms?state=open");
    const [a, b] = list.body.items as AlarmDetail[];
    expect(b).toBeDefined();
    const expected = (alarm: AlarmDetail, kind: AlarmsChanged["kind"]) => ({
      alarmId: alarm.id,
      kind,
      owner: { kind: "component", id: alarm.owner.id },
      severity: "critical",
    });
    // The pushes that fired the rule told it too (the push API, like the worker's ingest).
    expect(
      notices.map(({ alarmId, kind, owner, severity }) => ({ alarmId, kind, owner, severity })),
    ).toEqual(expect.arrayContaining([expected(a!, "opened"), expected(b!, "opened")]));

    notices.length = 0;
    expect((await rest("POST", `/alarms/${a!.id}/acknowledge`, { comment: "on it" })).status).toBe(
      200,
    );
    expect(notices).toEqual([expected(a!, "acknowledged")]);

    notices.length = 0;
    await rest("POST", `/alarms/${a!.id}/unacknowledge`);
    expect(notices).toEqual([expected(a!, "unacknowledged")]);

    notices.length = 0;
    await rest("POST", "/alarms/acknowledge", { ids: [a!.id, b!.id], comment: "both" });
    expect(notices).toEqual(
      expect.arrayContaining([expected(a!, "acknowledged"), expected(b!, "acknowledged")]),
    );
    expect(notices).toHaveLength(2);

    notices.length = 0;
    verdicts.length = 0;
    expect((await rest("POST", `/alarms/${b!.id}/resolve`, { reason: "replaced" })).status).toBe(
      200,
    );
    expect(notices).toEqual([expected(b!, "resolved")]);
    // The resolve moved the component's verdict off outage, in its transaction; told after it.
    expect(verdicts.find((v) => v.ownerId === b!.owner.id)).toMatchObject({
      ownerKind: "component",
      previous: "outage",
    });
  });

  it("tells nothing when the change is refused", async () => {
    const [resolved] = (await rest("GET", "/alarms?state=resolved")).body.items as AlarmDetail[];
    notices.length = 0;
    expect(
      (await rest("POST", `/alarms/${resolved!.id}/resolve`, { reason: "again" })).status,
    ).toBe(409);
    expect(
      (
        await rest("POST", "/alarms/acknowledge", {
          ids: [resolved!.id, "0192f0c4-1c2d-7a3b-8c4d-5e6f7a8b9c0d"],
          comment: "x",
        })
      ).status,
    ).toBe(404);
    expect(notices).toEqual([]);
  });
});
