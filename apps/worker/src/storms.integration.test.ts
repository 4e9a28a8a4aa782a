import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { v7 as uuidv7 } from "uuid";
import {
  WebhookPayload,
  WebhookStormPayload,
  type CreateActionRuleInput,
  type RequestMeta,
} from "@omniglass/contracts";
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
  /** The endpoint's name (its URL's last segment). */
  endpoint: string;
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
 * dependent; dependents joining later → one update summary per grown group. An endpoint whose
 * action rule is scoped to the south room (where the node and the second system are) hears the
 * root and only that system's summary, counting and naming its dependents alone; one whose rule
 * asks for critical alarms hears the (critical) root and no summary of its warning dependents.
 */
describe("a storm reaches receivers as the root and one summary per group", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let estate: PolledEstate;
  let ruleId: string;
  const secrets = new Map<string, string>();
  let server: Server;
  let rootAlarmId: string;
  const systems: { id: string; path: string }[] = [];
  const received: Received[] = [];
  const workers: RunningWorker[] = [];
  const secretKey = parseSecretKey(newSecretKeyBase64());
  const component = (n: number) => estate.componentIds[n - 1]!; // device-<n>

  const of = (endpoint: string) => received.filter((r) => r.endpoint === endpoint);
  const storms = (endpoint = "pager") => of(endpoint).filter((r) => r.type === "alarm.storm");
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
    // (the later ones) of the first. The second system, its devices and the node are in the
    // south room (storm.south), the rest at the campus.
    const south = uuidv7();
    await q(
      `insert into location (id, parent_id, type_id, name, path, depth)
      select $1, $2, id, 'south', 'storm.south', 1 from location_type where name = 'building'`,
      [south, estate.locationId],
    );
    await q(`update node set location_id = $1 where id = $2`, [south, estate.nodeId]);
    await q(
      `update component set location_id = $1, path = 'storm.south.' || name
      where id = any($2::uuid[])`,
      [south, Array.from({ length: 15 }, (_, i) => component(i + 17))],
    );
    const [type] = await q<{ id: string }>(
      `select id from system_type where name = 'meeting-room'`,
    );
    for (const [name, at, path] of [
      ["north-av", estate.locationId, "storm.north-av"],
      ["south-av", south, "storm.south.south-av"],
    ] as const) {
      const id = uuidv7();
      await q(
        `insert into system (id, name, type_id, location_id, path) values ($1, $2, $3, $4, $5)`,
        [id, name, type!.id, at, path],
      );
      systems.push({ id, path });
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
        const endpoint = req.url!.split("/").pop()!;
        received.push({
          endpoint,
          id: headers["webhook-id"]!,
          type: parsed.type,
          body: parsed,
          verified: verifyWebhook({
            secrets: secrets.get(endpoint)!,
            headers,
            body,
            now: new Date(),
          }).ok,
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
    const endpoint = async (name: string) => {
      const created = await createWebhookEndpoint({
        ...ctx,
        input: { name, url: `http://127.0.0.1:${port}/hooks/${name}`, enabled: true },
        options: { secretKey, allowLoopback: true },
      });
      secrets.set(name, created.secret);
      return created.id;
    };
    // The default matchers (suppressed alarms do not page) with three scopes: everything, the
    // south room, critical alarms.
    const route = async (
      name: string,
      rule: string,
      matchers: CreateActionRuleInput["matchers"],
      scope: CreateActionRuleInput["scope"],
    ) =>
      createActionRule({
        ...ctx,
        input: { name: rule, enabled: true, matchers, scope, endpointIds: [await endpoint(name)] },
      });
    await route("pager", "all-alarms", {}, { kind: "all" });
    await route("south-pager", "south-room", {}, { kind: "location", ref: "storm.south" });
    await route("critical-pager", "critical-alarms", { severities: ["critical"] }, { kind: "all" });
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
    // The grouping wait runs from the first dependent held, so the clock starts before they open
    // (taken after them, a slow opening on a loaded machine ate into the wait and the bound failed).
    const started = Date.now();
    const dependents = await openDependents(Array.from({ length: 30 }, (_, i) => i + 2));
    // Held by the root, as dependency suppression decided in their own transaction.
    const held = await q<{ n: number }>(
      `select count(*)::int as n from alarm where id = any($1::uuid[]) and suppressed
        and root_alarm_id = $2 and suppression->'root'->'links'->0->>'via' = 'poller'`,
      [dependents, rootAlarmId],
    );
    expect(held[0]!.n).toBe(30);
    await eventually(async () => storms().length >= 2 && storms("south-pager").length >= 1, 15_000);
    // Not before the grouping wait.
    expect(Date.now() - started).toBeGreaterThanOrEqual(GROUP_WAIT_MS - 200);
    // Let any duplicate (two workers) or per-dependent message arrive before judging.
    await new Promise((r) => setTimeout(r, 1_500));

    expect(received.every((r) => r.verified)).toBe(true);
    const opened = received.filter((r) => r.type === "alarm.opened");
    expect(opened.map((r) => r.endpoint).sort()).toEqual([
      "critical-pager",
      "pager",
      "south-pager",
    ]);
    for (const r of opened) expect(WebhookPayload.parse(r.body).data.alarm.id).toBe(rootAlarmId);
    expect(
      of("pager")
        .map((r) => r.type)
        .sort(),
    ).toEqual(["alarm.opened", "alarm.storm", "alarm.storm"]);
    const summaries = storms()
      .map((r) => WebhookStormPayload.parse(r.body).data)
      .sort((a, b) => a.group.path.localeCompare(b.group.path));
    expect(summaries.map((s) => [s.group.kind, s.group.path, s.count, s.total])).toEqual([
      ["system", "storm.north-av", 15, 30],
      ["system", "storm.south.south-av", 15, 30],
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
    // The south room's rule: the south system's summary alone, its 15 dependents and no other.
    expect(
      of("south-pager")
        .map((r) => r.type)
        .sort(),
    ).toEqual(["alarm.opened", "alarm.storm"]);
    const southern = WebhookStormPayload.parse(storms("south-pager")[0]!.body).data;
    expect([southern.group.path, southern.count, southern.total]).toEqual([
      "storm.south.south-av",
      15,
      15,
    ]);
    expect(southern.dependents.map((d) => d.id).sort()).toEqual(dependents.slice(15).sort());
    expect(southern.summary).toBe(
      "15 alarms in storm.south.south-av behind storm-node (critical: collector-down)",
    );
    // Critical alarms only: the root, and no summary of its warning dependents.
    expect(of("critical-pager").map((r) => r.type)).toEqual(["alarm.opened"]);

    const notices = await q(`select n.count, d.status, d.event_type, d.alarm_id
      from storm_notice n join delivery d on d.id = n.delivery_id`);
    expect(notices).toHaveLength(3);
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
    const others = received.filter((r) => r.endpoint !== "pager").length;
    await openDependents([32, 33, 34]);
    await eventually(async () => storms().length > before, 15_000);
    await new Promise((r) => setTimeout(r, UPDATE_EVERY_MS + 1_000));
    // The north system grew: nothing for the south room's rule, nor for critical alarms.
    expect(received.filter((r) => r.endpoint !== "pager")).toHaveLength(others);
    const updates = storms()
      .slice(before)
      .map((r) => WebhookStormPayload.parse(r.body).data);
    expect(updates.map((u) => [u.group.path, u.previousCount, u.count, u.total])).toEqual([
      ["storm.north-av", 15, 18, 33],
    ]);
    expect(updates[0]!.dependents).toHaveLength(18);
  });
});
