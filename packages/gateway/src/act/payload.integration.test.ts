import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { TransitionKind, WebhookPayload } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { addAlarmEvent } from "../alarms/write-alarm";
import { openAlarm, resolveAlarmByClear } from "../alarms/transitions";
import { unsafeSeedHealthEstate, type HealthEstate } from "../health/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing";
import { transitionKind, webhookBody } from "./payload";

/*
 * The webhook body of every transition kind, from the outbox row the trigger on alarm_event
 * really writes (`to_jsonb(alarm)` as of the event): it validates against the WebhookPayload
 * contract, names its kind and seq, and carries the alarm's suppression (the root alarm) while
 * it is held.
 */
describe("the webhook body of every transition kind", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let estate: HealthEstate;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    estate = await unsafeSeedHealthEstate(handle.db, "pl");
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("validates against WebhookPayload for opened … unsuppressed, suppression included", async () => {
    const target = {
      ruleId: estate.ruleId,
      owner: { kind: "component" as const, id: estate.components.codec },
      instance: "",
    };
    const fired = {
      sampleAt: Date.now(),
      value: { reachable: false },
      severity: "critical",
      summary: "codec unreachable",
      flapWindowMs: 3_600_000,
      flapThreshold: 3,
    };
    const db = handle.db;
    // The root this alarm will be held behind: another component's open alarm.
    const root = await db.transaction((tx) =>
      openAlarm(
        tx,
        { ...target, owner: { kind: "component", id: estate.components.mic } },
        { ...fired, openedAt: Date.now() },
      ),
    );
    const opened = await db.transaction((tx) =>
      openAlarm(tx, target, { ...fired, openedAt: Date.now() }),
    );
    const id = opened!.alarmId;
    const step = (
      change: SQL,
      kind: "acknowledged" | "unacknowledged" | "suppressed" | "unsuppressed",
    ) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`update alarm set ${change} where id = ${id}::uuid`);
        await addAlarmEvent(tx, id, { kind, by: null });
      });
    await step(sql`acknowledged_at = now(), ack_comment = 'on it'`, "acknowledged");
    await step(sql`acknowledged_at = null, ack_comment = null`, "unacknowledged");
    const suppression = {
      since: new Date().toISOString(),
      windows: [],
      silences: [],
      root: {
        alarmId: root!.alarmId,
        owner: { kind: "component", path: "pl.b1.r1.mic-1" },
        rule: "pl-manual",
        links: [
          {
            via: "template",
            from: "pl.b1.r1.codec",
            to: "pl.b1.r1.mic-1",
            reason: "depends on the room's microphone (test)",
            system: "pl.b1.r1.av",
            role: "mics",
          },
        ],
      },
    };
    await step(
      sql`suppressed = true, suppression = ${JSON.stringify(suppression)}::jsonb,
        root_alarm_id = ${root!.alarmId}::uuid`,
      "suppressed",
    );
    await step(sql`suppressed = false, suppression = null, root_alarm_id = null`, "unsuppressed");
    // Resolved, then reopened twice within the flap window: reopened, then flapping.
    for (let i = 0; i < 2; i++) {
      await db.transaction((tx) =>
        resolveAlarmByClear(tx, target, { clearedAt: Date.now(), value: { reachable: true } }),
      );
      await db.transaction((tx) => openAlarm(tx, target, { ...fired, openedAt: Date.now() }));
    }

    const rows = (
      await db.execute(sql`select alarm_seq, kind, payload from outbox
        where alarm_id = ${id}::uuid order by alarm_seq`)
    ).rows as { alarm_seq: number; kind: string; payload: Record<string, unknown> }[];
    const bodies = rows.map((r) => ({
      row: r,
      body: WebhookPayload.parse(JSON.parse(webhookBody(r.payload))),
    }));
    const kinds = new Set(bodies.map((b) => b.body.data.event.kind));
    expect([...kinds].sort()).toEqual([...TransitionKind.options].sort());
    for (const { row, body } of bodies) {
      expect(body.type).toBe(`alarm.${transitionKind(row.kind)}`);
      expect(body.data.seq).toBe(row.alarm_seq);
      expect(body.data.alarm.id).toBe(id);
      expect(body.data.alarm.owner).toEqual({
        kind: "component",
        id: estate.components.codec,
        path: "pl.b1.r1.codec",
      });
      const held = body.data.event.kind === "suppressed";
      expect(body.data.suppressed).toBe(held);
      expect(body.data.alarm.suppression).toEqual(held ? suppression : null);
    }
    const acked = bodies.find((b) => b.body.data.event.kind === "acknowledged")!;
    expect(acked.body.data.alarm.acknowledgement).toMatchObject({ comment: "on it" });
    const seqs = bodies.map((b) => b.body.data.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });
});
