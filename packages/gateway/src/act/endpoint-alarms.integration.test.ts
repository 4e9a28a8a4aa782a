import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import { ListAlarmsInput, WebhookPayload, type RequestMeta } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { acknowledgeAlarm } from "../alarms/acknowledge-alarm";
import { findAlarms } from "../alarms/find-alarms";
import { getAlarm } from "../alarms/get-alarm";
import { unsafeSeedHealthEstate } from "../health/fixtures";
import { newSecretKeyBase64, parseSecretKey } from "../secrets";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { unsafeRecordDeliveryAttempt } from "./deliveries";
import { ENDPOINT_FAILING_RULE_ID, unsafeSyncEndpointAlarms } from "./endpoint-alarms";
import { webhookBody } from "./payload";
import { createWebhookEndpoint, unsafeSetEndpointEnabled } from "./write-endpoint";

const meta: RequestMeta = {
  requestId: "req-endpoint-alarms",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};
/** The failing threshold of these tests: a second instead of three days. */
const FAILING_MS = 1_000;

/*
 * The built-in endpoint-failing rule: an endpoint failing for the threshold (or disabled by a 410)
 * gets one alarm owned by it, placed at its location (an endpoint at the platform: scope all
 * only), listed and acknowledged like any alarm; a success or a re-enable resolves it.
 */
describe("an endpoint failing for days raises an alarm to its owner", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let admin: Actor;
  let r1Operator: Actor;
  let r2Viewer: Actor;
  let inRoom: { id: string; name: string };
  let atPlatform: { id: string; name: string };
  const secretKey = parseSecretKey(newSecretKeyBase64());

  const ctx = (actor: Actor) => ({ db: handle.db, actor, meta });
  const openAlarmOf = async (endpointId: string) =>
    (
      await handle.db.execute(sql`select id, lifecycle, owner_kind, endpoint_id from alarm
        where rule_id = ${ENDPOINT_FAILING_RULE_ID}::uuid and endpoint_id = ${endpointId}::uuid
        order by opened_at desc`)
    ).rows as { id: string; lifecycle: string; owner_kind: string; endpoint_id: string }[];
  /** One recorded attempt of a delivery to the endpoint: the lane's own record. */
  const attempt = async (endpointId: string, status: number | null) => {
    const id = `msg_test${Math.random().toString(16).slice(2)}`;
    await handle.db.execute(sql`insert into delivery (id, endpoint_id, event_type, body, status,
      next_attempt_at) values (${id}, ${endpointId}::uuid, 'webhook.test', '{}', 'pending', now())`);
    return unsafeRecordDeliveryAttempt(
      handle.db,
      { id, endpointId, attempts: 1 },
      {
        result:
          status === null
            ? { kind: "network-error" }
            : { kind: "response", status, retryAfter: null },
        latencyMs: 3,
        excerpt: null,
        schedule: [0, 60_000],
      },
    );
  };
  const list = async (actor: Actor) =>
    (
      await findAlarms({
        ...ctx(actor),
        input: ListAlarmsInput.parse({ state: "open", rule: "endpoint-failing" }),
      })
    ).items.map((a) => a.owner.path);

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 4 });
    await unsafeSeedHealthEstate(handle.db, "ep");
    const principal = async (
      name: string,
      grant: Parameters<typeof createTestPrincipal>[1]["grants"][number],
    ) =>
      (await loadActor(
        handle.db,
        (await createTestPrincipal(database.url, { name, grants: [grant] })).id,
      ))!;
    admin = await principal("ep-admin", { role: "admin" });
    r1Operator = await principal("ep-r1-operator", { role: "operator", location: "ep.b1.r1" });
    r2Viewer = await principal("ep-r2-viewer", { role: "viewer", location: "ep.b1.r2" });
    const create = (name: string, location?: string) =>
      createWebhookEndpoint({
        ...ctx(admin),
        input: { name, url: `https://hooks.example.com/${name}`, enabled: true, location },
        options: { secretKey },
      });
    inRoom = await create("room-pager", "ep.b1.r1");
    atPlatform = await create("platform-pager");
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("opens once the endpoint has failed for the threshold, once with two passes at a time", async () => {
    expect(await attempt(inRoom.id, 503)).toBe("failed");
    // Failing, but not for the threshold yet: nothing.
    await unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS });
    expect(await openAlarmOf(inRoom.id)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, FAILING_MS + 100));
    const passes = await Promise.all([
      unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS }),
      unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS }),
    ]);
    expect(passes.flatMap((p) => p.alarms)).toHaveLength(1);
    await unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS });
    const alarms = await openAlarmOf(inRoom.id);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ lifecycle: "open", owner_kind: "endpoint" });
  });

  it("is listed to readers of the endpoint's location only, owned by the endpoint", async () => {
    expect(await list(admin)).toEqual(["room-pager"]);
    expect(await list(r1Operator)).toEqual(["room-pager"]);
    expect(await list(r2Viewer)).toEqual([]);
    const [alarm] = await openAlarmOf(inRoom.id);
    const detail = await getAlarm({ ...ctx(r1Operator), id: alarm!.id });
    expect(detail.owner).toEqual({ kind: "endpoint", id: inRoom.id, path: "room-pager" });
    expect(detail.rule).toMatchObject({ name: "endpoint-failing", origin: "builtin" });
    await expect(getAlarm({ ...ctx(r2Viewer), id: alarm!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("is acknowledged by an operator of its location, audited there", async () => {
    const [alarm] = await openAlarmOf(inRoom.id);
    const acked = await acknowledgeAlarm({
      ...ctx(r1Operator),
      input: { id: alarm!.id, comment: "receiver is being redeployed" },
    });
    expect(acked.acknowledgement?.comment).toBe("receiver is being redeployed");
    const audit = (
      await handle.db.execute(sql`select scope_kind, scope_path from audit_log
        where resource = 'alarm' and resource_id = ${alarm!.id}`)
    ).rows;
    expect(audit).toEqual([{ scope_kind: "location", scope_path: "ep.b1.r1" }]);
  });

  it("leaves through the outbox as a valid webhook body owned by the endpoint", async () => {
    const [alarm] = await openAlarmOf(inRoom.id);
    const rows = (
      await handle.db.execute(sql`select payload from outbox where alarm_id = ${alarm!.id}::uuid
        order by alarm_seq`)
    ).rows as { payload: Record<string, unknown> }[];
    expect(rows.length).toBeGreaterThanOrEqual(2); // fired, acknowledged
    for (const row of rows) {
      const body = WebhookPayload.parse(JSON.parse(webhookBody(row.payload)));
      expect(body.data.alarm.owner).toEqual({
        kind: "endpoint",
        id: inRoom.id,
        path: "room-pager",
      });
    }
  });

  it("resolves when a delivery succeeds", async () => {
    expect(await attempt(inRoom.id, 200)).toBe("delivered");
    await unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS });
    expect((await openAlarmOf(inRoom.id)).map((a) => a.lifecycle)).toEqual(["resolved"]);
    expect(await list(admin)).toEqual([]);
  });

  it("opens at once on a 410 (platform endpoint: scope all only) and resolves on re-enable", async () => {
    expect(await attempt(atPlatform.id, 410)).toBe("disabled");
    await unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS });
    expect((await openAlarmOf(atPlatform.id)).map((a) => a.lifecycle)).toEqual(["open"]);
    expect(await list(admin)).toEqual(["platform-pager"]);
    expect(await list(r1Operator)).toEqual([]);
    const [alarm] = await openAlarmOf(atPlatform.id);
    await expect(getAlarm({ ...ctx(r1Operator), id: alarm!.id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await acknowledgeAlarm({ ...ctx(admin), input: { id: alarm!.id, comment: "looking" } });
    const audit = (
      await handle.db.execute(sql`select scope_kind, scope_path from audit_log
        where resource = 'alarm' and resource_id = ${alarm!.id}`)
    ).rows;
    expect(audit).toEqual([{ scope_kind: "platform", scope_path: null }]);

    await unsafeSetEndpointEnabled(handle.db, atPlatform.id, true);
    await unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS });
    expect((await openAlarmOf(atPlatform.id)).map((a) => a.lifecycle)).toEqual(["resolved"]);
  });

  it("raises nothing for an endpoint disabled by hand", async () => {
    expect(await attempt(inRoom.id, null)).toBe("failed");
    await unsafeSetEndpointEnabled(handle.db, inRoom.id, false);
    await new Promise((r) => setTimeout(r, FAILING_MS + 100));
    await unsafeSyncEndpointAlarms(handle.db, { failingMs: FAILING_MS });
    expect((await openAlarmOf(inRoom.id)).map((a) => a.lifecycle)).toEqual(["resolved"]);
  });
});
