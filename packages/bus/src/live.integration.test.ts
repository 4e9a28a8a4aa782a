import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlarmsChanged, HealthChanged } from "@omniglass/contracts";
import { eventually, testInfra } from "@omniglass/testing";
import { connectBus, type BusConnection } from "./connect";
import { publishAlarmChanges, publishHealthChanges } from "./publish";
import { SUBJECTS } from "./subjects";

describe("live notifications of alarms and health", () => {
  let bus: BusConnection;
  beforeAll(() => {
    bus = connectBus({ servers: testInfra().natsUrl, name: "live-test" });
  });
  afterAll(async () => {
    await bus.close();
  });

  /** Messages on `subject` that name one of `ids` (other tests may publish on the same subjects). */
  async function collect(subject: string, ids: string[]) {
    const nc = await bus.ready();
    const seen: { subject: string; data: unknown }[] = [];
    const sub = nc.subscribe(subject, {
      callback: (error, msg) => {
        if (error) return;
        const data = msg.json<Record<string, unknown>>();
        if (ids.includes(String(data.alarmId ?? data.ownerId)))
          seen.push({ subject: msg.subject, data });
      },
    });
    await nc.flush();
    return { seen, stop: () => sub.unsubscribe() };
  }

  it("publishes each alarm change on og.v1.live.alarms in its contract", async () => {
    const [a, b, owner] = [randomUUID(), randomUUID(), randomUUID()];
    const { seen, stop } = await collect(SUBJECTS.liveAlarms, [a, b]);
    publishAlarmChanges(bus, [
      { alarmId: a, kind: "opened", owner: { kind: "component", id: owner }, severity: "critical" },
      {
        alarmId: b,
        kind: "acknowledged",
        owner: { kind: "component", id: owner },
        severity: null,
        at: "2026-12-01T10:00:00.000Z",
      },
    ]);
    await eventually(async () => seen.length === 2);
    stop();
    const [first, second] = seen.map((m) => AlarmsChanged.parse(m.data));
    expect(first).toMatchObject({ alarmId: a, kind: "opened", severity: "critical" });
    expect(Date.parse(first!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(second).toMatchObject({ alarmId: b, severity: null, at: "2026-12-01T10:00:00.000Z" });
  });

  it("publishes a health change on the owner's own subject", async () => {
    const owner = randomUUID();
    const { seen, stop } = await collect(SUBJECTS.liveHealthAll, [owner]);
    const change = {
      ownerKind: "system" as const,
      ownerId: owner,
      verdict: "outage" as const,
      previous: "healthy" as const,
      at: "2026-12-01T14:02:00.000Z",
    };
    publishHealthChanges(bus, [change]);
    await eventually(async () => seen.length === 1);
    stop();
    expect(seen[0]!.subject).toBe(SUBJECTS.liveHealth(owner));
    expect(HealthChanged.parse(seen[0]!.data)).toEqual(change);
  });

  it("never throws, connected or not", async () => {
    const closed = connectBus({ servers: testInfra().natsUrl, name: "live-test-closed" });
    await closed.ready();
    await closed.close();
    const owner = { kind: "component" as const, id: randomUUID() };
    expect(() =>
      publishAlarmChanges(closed, [
        { alarmId: randomUUID(), kind: "resolved", owner, severity: "info" },
      ]),
    ).not.toThrow();
    expect(() => publishHealthChanges(closed, [])).not.toThrow();
  });
});
