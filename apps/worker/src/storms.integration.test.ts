import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { v7 as uuidv7 } from "uuid";
import { WebhookPayload, WebhookStormPayload, type RequestMeta } from "@omniglass/contracts";
import {
  COLLECTOR_DOWN_RULE_ID,
  connectDatabase,
  createActionRule,
  createWebhookEndpoint,
  loadActor,
  openAlarm,
  unsafeEnsureCollectorRule,
  unsafeSeedPolledComponents,
  verifyWebhook,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { newSecretKeyBase64, parseSecretKey } from "@omniglass/gateway/secrets";
import {
  createTestDatabase,
  createTestPrincipal,
  type TestDatabase,
} from "@omniglass/gateway/testing";
import { freePort, startNatsServer, type RunningNats } from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker, type RunningWorker } from "./worker";

const meta: RequestMeta = {
  requestId: "req-storms",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};
/** The grouping wait and the update interval of these tests (10 s and 5 min in production). */
const GROUP_WAIT_MS = 1_500;
const UPDATE_EVERY_MS = 3_000;

interface Received {
  id: string;
  type: string;
  body: unknown;
  verified: boolean;
}

/*
 * Storms end to end with real parts (PostgreSQL, nats-server, two in-process workers, a local
 * receiver verifying every signature): a root alarm (the collector down: the node that polls
 * them) and 30 dependents held by it (dependency suppression, the poller link) in two systems →
 * the receiver gets the root's alarm.opened and exactly one alarm.storm per system, none per
 * dependent; dependents joining later → one update summary per grown group.
 */
describe("a storm reaches receivers as the root and one summary per group", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let estate: PolledEstate;
  let ruleId: string;
  let secret: string;
  let server: Server;
  let rootAlarmId: string;
  const systems: { id: string; path: string }[] = [];
  const received: Received[] = [];
  const workers: RunningWorker[] = [];
  const secretKey = parseSecretKey(newSecretKeyBase64());
  const component = (n: number) => estate.componentIds[n - 1]!; // device-<n>

  const storms = () => received.filter((r) => r.type === "alarm.storm");
  // The pool under the handle (drizzle's $client; the worker does not depend on drizzle).
  const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (
      await (
        handle.db as unknown as {
          $client: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
        }
      ).$client.query(text, values)
    ).rows as T[];

  /**
   * Dependents: alarms on components the node polls, opened while its collector-down alarm is
   * open — dependency suppression holds them behind it (the poller link) in their own transaction.
   */
  const openDependents = (devices: number[]) =>
    handle.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const n of devices) {
        const change = await openAlarm(
          tx,
          { ruleId, owner: { kind: "component", id: component(n) }, instance: "" },
          {
            openedAt: Date.now(),
            sampleAt: Date.now(),
            value: { reachable: false },
            severity: "warning",
            summary: "unreachable",
            flapWindowMs: 60_000,
            flapThreshold: 10,
          },
        );
        ids.push(change!.alarmId);
      }
      return ids;
    });

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "storm", components: 34 });
    ruleId = uuidv7();
    await q(
      `insert into event_rule (id, name, severity, fire, scope_kind, origin)
      values ($1, 'storm-test', 'critical', 'false', 'all', 'custom')`,
      [ruleId],
    );
    // Two systems; devices 2–16 are primary members of the first, 17–31 of the second, 32–34
    // (the later ones) of the first.
    const [type] = await q<{ id: string }>(
      `select id from system_type where name = 'meeting-room'`,
    );
    for (const name of ["north-av", "south-av"]) {
      const id = uuidv7();
      await q(
        `insert into system (id, name, type_id, location_id, path) values ($1, $2, $3, $4, $5)`,
        [id, name, type!.id, estate.locationId, `storm.${name}`],
      );
      systems.push({ id, path: `storm.${name}` });
    }
    const members = [
      ...Array.from({ length: 15 }, (_, i) => [i + 2, 0] as const),
      ...Array.from({ length: 15 }, (_, i) => [i + 17, 1] as const),
      ...[32, 33, 34].map((n) => [n, 0] as const),
    ];
    for (const [n, s] of members)
      await q(
        `insert into system_member (system_id, component_id, is_primary) values ($1, $2, true)`,
        [systems[s]!.id, component(n)],
      );

    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `storms-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    const port = await freePort();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = req.headers as Record<string, string>;
        const parsed = JSON.parse(body) as { type: string };
        received.push({
          id: headers["webhook-id"]!,
          type: parsed.type,
          body: parsed,
          verified: verifyWebhook({ secrets: secret, headers, body, now: new Date() }).ok,
        });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

    const admin = await createTestPrincipal(database.url, {
      name: "storms-admin",
      grants: [{ role: "admin" }],
    });
    const ctx = { db: handle.db, actor: (await loadActor(handle.db, admin.id))!, meta };
    const endpoint = await createWebhookEndpoint({
      ...ctx,
      input: { name: "pager", url: `http://127.0.0.1:${port}/hook`, enabled: true },
      options: { secretKey, allowLoopback: true },
    });
    secret = endpoint.secret;
    // The default matchers: suppressed alarms do not page.
    await createActionRule({
      ...ctx,
      input: {
        name: "all-alarms",
        enabled: true,
        matchers: {},
        scope: { kind: "all" },
        endpointIds: [endpoint.id],
      },
    });
    for (let i = 0; i < 2; i++)
      workers.push(
        await startWorker({
          databaseUrl: database.url,
          natsUrl: nats.url,
          heartbeatMs: 1_000,
          version: "test",
          log: () => {},
          secretKey,
          webhookSchedule: [0, 300, 300],
          actPasses: {
            everyMs: 100,
            stormGroupWaitMs: GROUP_WAIT_MS,
            stormUpdateEveryMs: UPDATE_EVERY_MS,
          },
        }),
      );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server?.close(() => resolve());
    });
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  it("1 root + 30 dependents in 2 systems: the root's alarm.opened and exactly 2 alarm.storm", async () => {
    await unsafeEnsureCollectorRule(handle.db);
    const change = await handle.db.transaction((tx) =>
      openAlarm(
        tx,
        {
          ruleId: COLLECTOR_DOWN_RULE_ID,
          owner: { kind: "node", id: estate.nodeId },
          instance: "",
        },
        {
          openedAt: Date.now(),
          sampleAt: Date.now(),
          value: {},
          severity: "critical",
          summary: "collector down",
          flapWindowMs: 60_000,
          flapThreshold: 10,
        },
      ),
    );
    rootAlarmId = change!.alarmId;
    const dependents = await openDependents(Array.from({ length: 30 }, (_, i) => i + 2));
    // Held by the root, as dependency suppression decided in their own transaction.
    const held = await q<{ n: number }>(
      `select count(*)::int as n from alarm where id = any($1::uuid[]) and suppressed
        and root_alarm_id = $2 and suppression->'root'->'links'->0->>'via' = 'poller'`,
      [dependents, rootAlarmId],
    );
    expect(held[0]!.n).toBe(30);
    const started = Date.now();
    await eventually(async () => storms().length >= 2, 15_000);
    // Not before the grouping wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(GROUP_WAIT_MS - 200);
    // Let any duplicate (two workers) or per-dependent message arrive before judging.
    await new Promise((r) => setTimeout(r, 1_500));

    expect(received.every((r) => r.verified)).toBe(true);
    const opened = received.filter((r) => r.type === "alarm.opened");
    expect(opened).toHaveLength(1);
    expect(WebhookPayload.parse(opened[0]!.body).data.alarm.id).toBe(rootAlarmId);
    expect(received.map((r) => r.type).sort()).toEqual([
      "alarm.opened",
      "alarm.storm",
      "alarm.storm",
    ]);
    const summaries = storms()
      .map((r) => WebhookStormPayload.parse(r.body).data)
      .sort((a, b) => a.group.path.localeCompare(b.group.path));
    expect(summaries.map((s) => [s.group.kind, s.group.path, s.count, s.total])).toEqual([
      ["system", "storm.north-av", 15, 30],
      ["system", "storm.south-av", 15, 30],
    ]);
    for (const s of summaries) {
      expect(s.root.id).toBe(rootAlarmId);
      expect(s.root.owner).toMatchObject({ kind: "node", path: "storm-node" });
      expect(s.previousCount).toBeNull();
      expect(s.dependents).toHaveLength(15);
      expect(s.dependents.every((d) => dependents.includes(d.id))).toBe(true);
      expect(s.summary).toBe(
        `15 alarms in ${s.group.path} behind storm-node (critical: collector-down)`,
      );
    }
    const notices = await q(`select n.count, d.status, d.event_type, d.alarm_id
      from storm_notice n join delivery d on d.id = n.delivery_id`);
    expect(notices).toHaveLength(2);
    for (const n of notices)
      expect(n).toMatchObject({
        count: 15,
        status: "delivered",
        event_type: "alarm.storm",
        alarm_id: rootAlarmId,
      });
    // No delivery was made for any dependent (held by the root).
    const sent = await q(
      `select count(*)::int as n from delivery where alarm_id = any($1::uuid[])`,
      [dependents],
    );
    expect(sent[0]).toEqual({ n: 0 });
  });

  it("dependents joining later: one update summary for the grown group, at most per interval", async () => {
    const before = storms().length;
    await openDependents([32, 33, 34]);
    await eventually(async () => storms().length > before, 15_000);
    await new Promise((r) => setTimeout(r, UPDATE_EVERY_MS + 1_000));
    const updates = storms()
      .slice(before)
      .map((r) => WebhookStormPayload.parse(r.body).data);
    expect(updates.map((u) => [u.group.path, u.previousCount, u.count, u.total])).toEqual([
      ["storm.north-av", 15, 18, 33],
    ]);
    expect(updates[0]!.dependents).toHaveLength(18);
  });
});
