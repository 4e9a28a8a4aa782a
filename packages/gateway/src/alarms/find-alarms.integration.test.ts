import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import { ListAlarmsInput } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { unsafeEnsureEndpointFailingRule, ENDPOINT_FAILING_RULE_ID } from "../act/endpoint-alarms";
import { createWebhookEndpoint } from "../act/write-endpoint";
import { unsafeSeedHealthEstate } from "../health/fixtures";
import { newSecretKeyBase64, parseSecretKey } from "../secrets";
import { alarmPageQueries, findAlarms } from "./find-alarms";
import { openAlarm } from "./transitions";

/*
 * The alarm list's hot reads stay on their indexes: "resolved recently" (order_by=-resolvedAt,
 * resolvedSince) walks alarm_resolved_idx backwards, whatever number of resolved alarms piled up;
 * the suppressed lane (suppressed=true) reads the partial alarm_suppressed_idx.
 */
describe("the alarm list's plans", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let owner: Actor;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    const { id } = await createTestPrincipal(database.url, {
      name: "plan-owner",
      grants: [{ role: "owner" }],
    });
    owner = (await loadActor(handle.db, id))!;
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  // EXPLAIN without ANALYZE plans the statement and runs nothing.
  const plan = (q: { getSQL(): SQL }) =>
    handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const r = await tx.execute(sql`explain ${q.getSQL()}`);
      return (r.rows as { "QUERY PLAN": string }[]).map((x) => x["QUERY PLAN"]).join("\n");
    });

  it("the resolved lane's page reads alarm_resolved_idx, without sorting", async () => {
    const input = ListAlarmsInput.parse({
      state: "resolved",
      order_by: "-resolvedAt",
      resolvedSince: new Date(Date.now() - 86_400_000).toISOString(),
      page_size: "20",
    });
    const { rows } = await alarmPageQueries({
      db: handle.db,
      actor: owner,
      meta: { requestId: "plan", source: "cli", actor: null, realActor: null, ip: null },
      input,
    });
    const text = await plan(rows);
    expect(text).toContain("alarm_resolved_idx");
    expect(text).not.toMatch(/^\s*(->\s*)?Sort\b/m);
  });

  it("the suppressed lane's page reads alarm_suppressed_idx", async () => {
    const input = ListAlarmsInput.parse({ suppressed: "true", page_size: "50" });
    const { rows } = await alarmPageQueries({
      db: handle.db,
      actor: owner,
      meta: { requestId: "plan", source: "cli", actor: null, realActor: null, ip: null },
      input,
    });
    expect(await plan(rows)).toContain("alarm_suppressed_idx");
  });
});

/*
 * `owner=<location>` lists what is placed in or below it: endpoint-owned alarms (endpoint-failing)
 * by the endpoint's location, like node alarms; an endpoint at the platform is under none.
 */
describe("the owner filter places endpoint alarms at the endpoint's location", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let admin: Actor;
  const meta = {
    requestId: "owner",
    source: "cli",
    actor: null,
    realActor: null,
    ip: null,
  } as const;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    await unsafeSeedHealthEstate(handle.db, "fo");
    const { id } = await createTestPrincipal(database.url, {
      name: "fo-admin",
      grants: [{ role: "admin" }],
    });
    admin = (await loadActor(handle.db, id))!;
    const rule = await unsafeEnsureEndpointFailingRule(handle.db);
    const secretKey = parseSecretKey(newSecretKeyBase64());
    for (const [name, location] of [["room-pager", "fo.b1.r1"], ["platform-pager"]] as const) {
      const endpoint = await createWebhookEndpoint({
        db: handle.db,
        actor: admin,
        meta,
        input: { name, url: `https://hooks.example.com/${name}`, enabled: true, location },
        options: { secretKey },
      });
      await handle.db.transaction((tx) =>
        openAlarm(
          tx,
          {
            ruleId: ENDPOINT_FAILING_RULE_ID,
            owner: { kind: "endpoint", id: endpoint.id },
            instance: "",
          },
          {
            openedAt: Date.now(),
            sampleAt: Date.now(),
            value: {},
            severity: rule.severity,
            summary: "failing",
            flapWindowMs: rule.flapWindowMs,
            flapThreshold: rule.flapThreshold,
          },
        ),
      );
    }
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const owned = async (owner: string) =>
    (
      await findAlarms({
        db: handle.db,
        actor: admin,
        meta,
        input: ListAlarmsInput.parse({ owner, rule: "endpoint-failing" }),
      })
    ).items.map((a) => [a.owner.kind, a.owner.path]);

  it("lists an endpoint's alarm under its location and every location above it", async () => {
    for (const place of ["fo", "fo.b1", "fo.b1.r1"])
      expect(await owned(place)).toEqual([["endpoint", "room-pager"]]);
    expect(await owned("fo.b1.r2")).toEqual([]);
  });

  it("an endpoint's name is no owner reference: 404 naming the field", async () => {
    await expect(owned("room-pager")).rejects.toMatchObject({
      code: "NOT_FOUND",
      fieldErrors: [{ field: "owner", message: "not found" }],
    });
  });
});
