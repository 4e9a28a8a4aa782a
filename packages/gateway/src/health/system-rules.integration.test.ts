import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import type { RequestMeta } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { createRule } from "../rules/create-rule";
import { updateRule } from "../rules/update-rule";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { unsafeOpenTestAlarm, unsafeSeedHealthEstate, type HealthEstate } from "./fixtures";
import { recomputeHealth } from "./recompute-health";
import { unsafeRecomputeAllHealth } from "./recompute-all";
import type { HealthSeeds } from "./types";

const meta: RequestMeta = {
  requestId: "req-system-rules",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};

/*
 * System rules (issue #13 §1): CEL over a system's roles and members, judged in the recompute
 * right after the system's role facts are read; fire opens one system alarm, which is part of the
 * same judgement; the member recovering resolves it in its own transaction.
 */
describe("system rules", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let other: DatabaseHandle;
  let e: HealthEstate;
  let owner: Actor;
  let ruleId: string;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    other = connectDatabase({ url: database.url, max: 3 });
    e = await unsafeSeedHealthEstate(handle.db, "sr");
    await unsafeRecomputeAllHealth(handle.db);
    const principal = await createTestPrincipal(database.url, {
      name: "sr-owner",
      grants: [{ role: "owner" }],
    });
    owner = (await loadActor(handle.db, principal.id))!;
    const rule = await createRule({
      db: handle.db,
      actor: owner,
      meta,
      input: {
        name: "displays-below-quorum",
        label: "displays below quorum",
        ownerKind: "system",
        severity: "critical",
        fire: 'roles["displays"].working < roles["displays"].quorum',
        sustainSeconds: 0,
        scope: { kind: "system-type", ref: "meeting-room" },
        enabled: true,
        flapWindowSeconds: 600,
        flapThreshold: 4,
      },
    });
    ruleId = rule.id;
    expect(rule).toMatchObject({ ownerKind: "system", scope: { kind: "system-type" } });
  });
  afterAll(async () => {
    await handle.close();
    await other.close();
    await database.drop();
  });

  const rows = async <T>(q: ReturnType<typeof sql>) => (await handle.db.execute(q)).rows as T[];
  const recompute = (seeds: HealthSeeds, db = handle.db) =>
    db.transaction((tx) => recomputeHealth(tx, seeds));
  const systemAlarms = () =>
    rows<{ id: string; lifecycle: string; owner_kind: string; system_id: string }>(
      sql`select id, lifecycle, owner_kind, system_id from alarm where rule_id = ${ruleId}
        order by id`,
    );
  const systemHealth = async () =>
    (
      await rows<{ verdict: string; causes: { kind: string; rule?: string }[] }>(
        sql`select verdict, causes from health where owner_id = ${e.systemId}`,
      )
    )[0]!;
  const breakDisplay = async () => {
    const id = await unsafeOpenTestAlarm(handle.db, {
      ruleId: e.ruleId,
      componentId: e.components.displayLeft,
      severity: "critical",
      summary: "unreachable",
    });
    return id;
  };
  const repair = (alarmId: string) =>
    handle.db.execute(sql`update alarm set lifecycle = 'resolved', resolved_at = now()
      where id = ${alarmId}`);

  it("a display role falling below quorum opens one system alarm, named by the system's health", async () => {
    expect(await systemAlarms()).toEqual([]);
    const broken = await breakDisplay();
    await recompute({ componentIds: [e.components.displayLeft] });
    const alarms = await systemAlarms();
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({
      lifecycle: "open",
      owner_kind: "system",
      system_id: e.systemId,
    });
    const health = await systemHealth();
    expect(health.verdict).toBe("outage");
    expect(health.causes).toContainEqual(
      expect.objectContaining({ kind: "alarm", rule: "displays-below-quorum" }),
    );
    // A second recompute with the alarm open: still one alarm, nothing reopened.
    await recompute({ systemIds: [e.systemId] });
    expect(await systemAlarms()).toHaveLength(1);

    // The member recovering resolves it in that transaction; the system no longer names it.
    await repair(broken);
    await recompute({ componentIds: [e.components.displayLeft] });
    expect((await systemAlarms()).map((a) => a.lifecycle)).toEqual(["resolved"]);
    const after = await systemHealth();
    expect(after.causes.some((c) => c.kind === "alarm")).toBe(false);
    const events = await rows<{ kind: string }>(sql`select kind from alarm_event
      where alarm_id = ${alarms[0]!.id} order by seq`);
    expect(events.map((x) => x.kind)).toEqual(["fired", "resolved"]);
  });

  it("two concurrent recomputes open one alarm", async () => {
    const broken = await breakDisplay();
    await Promise.all([
      recompute({ componentIds: [e.components.displayLeft] }, handle.db),
      recompute({ systemIds: [e.systemId] }, other.db),
    ]);
    const open = (await systemAlarms()).filter((a) => a.lifecycle === "open");
    expect(open).toHaveLength(1);
    await repair(broken);
    await recompute({ componentIds: [e.components.displayLeft] });
    expect((await systemAlarms()).filter((a) => a.lifecycle === "open")).toHaveLength(0);
  });

  it("refuses a component variable in a system rule naming the field and the position, and the reverse", async () => {
    const base = {
      severity: "warning" as const,
      sustainSeconds: 0,
      scope: { kind: "all" as const },
      enabled: true,
      flapWindowSeconds: 600,
      flapThreshold: 4,
    };
    const attempt = (input: Record<string, unknown>) =>
      createRule({
        db: handle.db,
        actor: owner,
        meta,
        input: { ...base, ...input } as Parameters<typeof createRule>[0]["input"],
      });
    await expect(
      attempt({
        name: "mixed-system",
        ownerKind: "system",
        fire: 'roles["displays"].working < 1 || signals["temperature"] > 70',
      }),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: [
        expect.objectContaining({
          field: "fire",
          message: expect.stringMatching(
            /`signals` is a component-rule variable.*line 1, column 34/,
          ),
        }),
      ],
    });
    await expect(
      attempt({ name: "mixed-component", ownerKind: "component", fire: 'verdict == "outage"' }),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: [
        expect.objectContaining({ field: "fire", message: expect.stringContaining("column 1)") }),
      ],
    });
    await expect(
      attempt({
        name: "sustained-system",
        ownerKind: "system",
        fire: 'verdict == "outage"',
        sustainSeconds: 60,
      }),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: [expect.objectContaining({ field: "sustainSeconds" })],
    });
    await expect(
      attempt({
        name: "template-system",
        ownerKind: "system",
        fire: 'verdict == "outage"',
        scope: { kind: "template", ref: "http-json-display@1" },
      }),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: [expect.objectContaining({ field: "scope.kind" })],
    });
    // An update is checked in the rule's own owner kind.
    const update = (fire: string, version: number) =>
      updateRule({ db: handle.db, actor: owner, meta, input: { ref: ruleId, fire, version } });
    await expect(update('signals["reachable"] == false', 1)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: [expect.objectContaining({ field: "fire" })],
    });
    const updated = await update('roles["displays"].working < 2', 1);
    expect(updated).toMatchObject({ fire: 'roles["displays"].working < 2', version: 2 });
    expect(
      (await rows(sql`select 1 from event_rule where name like '%-system' or name like 'mixed-%'`))
        .length,
    ).toBe(0);
  });

  it("a rule reading verdict does not feed on its own alarm: it resolves when the members recover", async () => {
    const echo = await createRule({
      db: handle.db,
      actor: owner,
      meta,
      input: {
        name: "av-outage",
        ownerKind: "system",
        severity: "critical",
        fire: 'verdict == "outage"',
        sustainSeconds: 0,
        scope: { kind: "system", ref: "sr.b1.r1.av" },
        enabled: true,
        flapWindowSeconds: 600,
        flapThreshold: 4,
      },
    });
    const lifecycles = async () =>
      (
        await rows<{ lifecycle: string }>(
          sql`select lifecycle from alarm where rule_id = ${echo.id} order by id`,
        )
      ).map((a) => a.lifecycle);
    const broken = await breakDisplay();
    await recompute({ componentIds: [e.components.displayLeft] });
    expect(await lifecycles()).toEqual(["open"]);
    await repair(broken);
    await recompute({ componentIds: [e.components.displayLeft] });
    // Judged on the facts without system-rule alarms: the roles are whole again, so it clears
    // (were its own alarm counted, `verdict` would stay outage and the alarm would never resolve).
    expect(await lifecycles()).toEqual(["resolved"]);
    expect((await systemHealth()).causes.some((c) => c.kind === "alarm")).toBe(false);
  });
});
