import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import path from "node:path";
import {
  connectBus,
  ensureTopology,
  publishJson,
  SUBJECTS,
  type BusConnection,
} from "@omniglass/bus";
import { SampleBatch, type RequestMeta, type Suppression } from "@omniglass/contracts";
import {
  connectDatabase,
  createActionRule,
  createMaintenanceWindow,
  createWebhookEndpoint,
  loadActor,
  unsafeListDeliveries,
  unsafeSeedSuppressionEstate,
  verifyWebhook,
  type DatabaseHandle,
  type SuppressionEstate,
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
  requestId: "req-suppress-acceptance",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};
/** The window ends this long after the test starts it (an occurrence of a daily window). */
const WINDOW_LEFT_MS = 8_000;

interface Received {
  type: string;
  alarmId: string;
  suppression: Suppression | null;
  at: number;
  verified: boolean;
}

/*
 * Issue #14's acceptance 1 and 2 with real parts: PostgreSQL, nats-server, two in-process
 * workers (ingest, clock with its suppression pass, outbox, actions, deliveries) and a loopback
 * receiver verifying every signature, behind an action rule that takes every transition not
 * held (the default). Faults arrive as sample batches from the node, as in production.
 */
describe("maintenance and dependencies hold notifications, and release them on time", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let bus: BusConnection;
  let e: SuppressionEstate;
  let secret: string;
  let server: Server;
  let actor: NonNullable<Awaited<ReturnType<typeof loadActor>>>;
  const received: Received[] = [];
  const workers: RunningWorker[] = [];
  const secretKey = parseSecretKey(newSecretKeyBase64());
  let batch = 0;

  /** Publishes `reachable` samples of one component as its node would. */
  const publish = async (component: string, points: [ts: number, value: boolean][]) => {
    const nc = await bus.ready();
    const batchId = `accept-${++batch}`;
    await publishJson(
      nc,
      SUBJECTS.samples(e.nodeId),
      SampleBatch,
      {
        node: e.nodeId,
        batchId,
        samples: points.map(([ts, value]) => ({
          component,
          signal: "reachable",
          instance: "",
          ts,
          value,
        })),
        rejections: [],
      },
      { msgId: batchId, timeoutMs: 10_000 },
    );
  };
  /** `unreachable` (for 2m) fires at once on a batch spanning two and a half minutes. */
  const fault = (component: string) =>
    publish(component, [
      [Date.now() - 150_000, false],
      [Date.now(), false],
    ]);
  const openAlarmOf = (componentId: string) =>
    eventually(async () => {
      const [row] = (
        await handle.db.execute(
          `select id, suppression, root_alarm_id from alarm
           where component_id = '${componentId}' and lifecycle = 'open'`,
        )
      ).rows as { id: string; suppression: Suppression | null; root_alarm_id: string | null }[];
      return row ?? null;
    }, 15_000);
  const bodiesOf = (alarmId: string) => received.filter((r) => r.alarmId === alarmId);

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    e = await unsafeSeedSuppressionEstate(handle.db, "accept");
    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `suppress-acceptance-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    bus = connectBus({ servers: nats.url, name: "suppress-acceptance-test" });
    await ensureTopology(await bus.ready());
    const port = await freePort();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = req.headers as Record<string, string>;
        // Transitions carry the alarm; a storm summary (alarm.storm) names its root instead.
        const payload = JSON.parse(body) as {
          type: string;
          data: { alarm?: { id: string; suppression: Suppression | null } };
        };
        received.push({
          type: payload.type,
          alarmId: payload.data.alarm?.id ?? "",
          suppression: payload.data.alarm?.suppression ?? null,
          at: Date.now(),
          verified: verifyWebhook({ secrets: secret, headers, body, now: new Date() }).ok,
        });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    const admin = await createTestPrincipal(database.url, {
      name: "accept-admin",
      grants: [{ role: "owner" }],
    });
    actor = (await loadActor(handle.db, admin.id))!;
    const ctx = { db: handle.db, actor, meta };
    const endpoint = await createWebhookEndpoint({
      ...ctx,
      input: { name: "receiver", url: `http://127.0.0.1:${port}/hook`, enabled: true },
      options: { secretKey, allowLoopback: true },
    });
    secret = endpoint.secret;
    // Every transition that is not held (matchers.suppressed omitted: the default).
    await createActionRule({
      ...ctx,
      input: {
        name: "page-everything",
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
        }),
      );
  }, 60_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await new Promise<void>((resolve) => {
      server?.closeAllConnections();
      if (server) server.close(() => resolve());
      else resolve();
    });
    await bus?.close();
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  it("a fault in a room under a recurring window is held by it, and notifies within 30 s of its end", async () => {
    // A daily window whose today's occurrence began this minute and ends WINDOW_LEFT_MS from now.
    const startMs = Math.floor(Date.now() / 60_000) * 60_000;
    const endMs = Date.now() + WINDOW_LEFT_MS;
    const w = await createMaintenanceWindow({
      db: handle.db,
      actor,
      meta,
      input: {
        name: "r1-daily-works",
        scope: { kind: "location", ref: e.rooms.r1.path },
        dtstart: new Date(startMs).toISOString().slice(0, 16),
        timeZone: "UTC",
        duration: `${Math.ceil((endMs - startMs) / 1000)}s`,
        rrule: "FREQ=DAILY",
        enabled: true,
      },
    });
    const windowEnd = Math.ceil((endMs - startMs) / 1000) * 1000 + startMs;
    await fault(e.rooms.r1.display);
    const alarm = await openAlarmOf(e.rooms.r1.display);
    expect(alarm.suppression).toMatchObject({
      windows: [{ id: w.id, name: "r1-daily-works" }],
      silences: [],
      root: null,
    });
    // Held: no webhook while the window is open (its opening left the outbox held).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(bodiesOf(alarm.id)).toEqual([]);
    expect(await unsafeListDeliveries(handle.db, { alarmId: alarm.id })).toEqual([]);
    expect(Date.now()).toBeLessThan(windowEnd);

    // The window ends with the alarm still open: it notifies, with its full state.
    const [got] = await eventually(async () => {
      const bodies = bodiesOf(alarm.id);
      return bodies.length > 0 ? bodies : null;
    }, 40_000);
    expect(got).toMatchObject({ type: "alarm.unsuppressed", suppression: null, verified: true });
    expect(got!.at).toBeGreaterThanOrEqual(windowEnd);
    expect(got!.at - windowEnd).toBeLessThan(30_000);
    console.log(
      `suppress acceptance: window end → alarm.unsuppressed received in ${got!.at - windowEnd} ms`,
    );
  }, 60_000);

  it("a room's control processor down: the display opens held naming it; the CP's clear releases it within 5 s", async () => {
    const r = e.rooms.r2;
    await fault(r.cp);
    const root = await openAlarmOf(r.cp);
    expect(root.suppression).toBeNull();
    await eventually(async () => (bodiesOf(root.id).length > 0 ? true : null), 10_000);
    expect(bodiesOf(root.id).map((b) => b.type)).toEqual(["alarm.opened"]);

    await fault(r.display);
    const dependent = await openAlarmOf(r.display);
    expect(dependent.root_alarm_id).toBe(root.id);
    expect(dependent.suppression!.root).toMatchObject({
      alarmId: root.id,
      owner: { kind: "component", path: `${r.path}.cp` },
      rule: "unreachable",
      links: [
        { via: "template", from: `${r.path}.display`, to: `${r.path}.cp`, system: r.systemPath },
      ],
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bodiesOf(dependent.id)).toEqual([]);

    // The reset: the control processor answers again (its clear sample).
    const clearedAt = Date.now();
    await publish(r.cp, [[clearedAt, true]]);
    const [got] = await eventually(async () => {
      const bodies = bodiesOf(dependent.id);
      return bodies.length > 0 ? bodies : null;
    }, 10_000);
    expect(got).toMatchObject({ type: "alarm.unsuppressed", suppression: null, verified: true });
    expect(got!.at - clearedAt).toBeLessThan(5_000);
    const [row] = (
      await handle.db.execute(
        `select lifecycle, suppressed, root_alarm_id from alarm where id = '${dependent.id}'`,
      )
    ).rows;
    expect(row).toEqual({ lifecycle: "open", suppressed: false, root_alarm_id: null });
    await eventually(async () => (bodiesOf(root.id).length === 2 ? true : null), 10_000);
    expect(bodiesOf(root.id).map((b) => b.type)).toEqual(["alarm.opened", "alarm.resolved"]);
    console.log(
      `suppress acceptance: root clear sample → dependent's alarm.unsuppressed in ${got!.at - clearedAt} ms`,
    );
  }, 40_000);
});
