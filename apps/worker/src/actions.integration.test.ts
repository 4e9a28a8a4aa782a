import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingMessage, type Server } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connectBus, ensureTopology, type BusConnection } from "@omniglass/bus";
import type { RequestMeta } from "@omniglass/contracts";
import {
  COLLECTOR_DOWN_RULE_ID,
  connectDatabase,
  createActionRule,
  createWebhookEndpoint,
  loadActor,
  openAlarm,
  readEndpoint,
  resolveAlarmByClear,
  unsafeEnsureCollectorRule,
  unsafeListDeliveries,
  unsafeListDeliveryAttempts,
  unsafeSeedPolledComponents,
  unsafeSetEndpointEnabled,
  unsafeUnpublishedOutbox,
  verifyWebhook,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { newSecretKeyBase64, parseSecretKey } from "@omniglass/gateway/secrets";
import {
  createTestDatabase,
  createTestPrincipal,
  type TestDatabase,
} from "@omniglass/gateway/testing";
import {
  freePort,
  spawnManaged,
  startNatsServer,
  type ManagedProcess,
  type RunningNats,
} from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker, type RunningWorker } from "./worker";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = path.resolve(HERE, "..");
const meta: RequestMeta = {
  requestId: "req-actions",
  source: "rest",
  actor: null,
  realActor: null,
  ip: null,
};
/** A short retry schedule (six attempts over ~1.5 s) instead of the spec's three days. */
const SCHEDULE = [0, 300, 300, 300, 300, 300];

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  at: number;
  verified: boolean;
  status: number;
}

/**
 * Actions end to end with real parts: PostgreSQL, nats-server, two in-process workers (and later
 * worker child processes), and a local HTTP receiver that verifies every signature the way the
 * Standard Webhooks spec tells a receiver to (verifyWebhook: the three headers, the timestamp
 * tolerance, v1 HMAC-SHA256 over id.timestamp.body in constant time).
 */
describe("webhooks leave through the outbox and arrive as Standard Webhooks says", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;
  let bus: BusConnection;
  let nodeId: string;
  let ruleId: string;
  let endpointId: string;
  let secret: string;
  let port: number;
  let server: Server | null = null;
  const received: Received[] = [];
  /** What the receiver answers next: a status and headers (default 200). */
  let answer: (req: IncomingMessage) => {
    status: number;
    headers?: Record<string, string>;
  } = () => ({ status: 200 });
  const workers: RunningWorker[] = [];
  const children: ManagedProcess[] = [];
  const secretKeyBase64 = newSecretKeyBase64();
  const secretKey = parseSecretKey(secretKeyBase64);
  let instance = 0;

  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          const headers = req.headers as Record<string, string>;
          const verified = verifyWebhook({ secrets: secret, headers, body, now: new Date() }).ok;
          const { status, headers: extra } = answer(req);
          received.push({
            id: headers["webhook-id"]!,
            timestamp: headers["webhook-timestamp"]!,
            signature: headers["webhook-signature"]!,
            body,
            at: Date.now(),
            verified,
            status,
          });
          res.writeHead(status, { "content-type": "text/plain", ...extra });
          res.end(status === 200 ? "ok" : "no");
        });
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server!.closeAllConnections();
      server!.close(() => resolve());
    });

  /** Commits one alarm opening (a transition) and returns the alarm id. */
  const fault = async (inst = `i-${++instance}`) => {
    const change = await handle.db.transaction((tx) =>
      openAlarm(
        tx,
        { ruleId, owner: { kind: "node", id: nodeId }, instance: inst },
        {
          openedAt: Date.now(),
          sampleAt: Date.now(),
          value: { reachable: false },
          severity: "critical",
          summary: "collector down (test)",
          flapWindowMs: 60_000,
          flapThreshold: 100,
        },
      ),
    );
    return { alarmId: change!.alarmId, inst };
  };
  const clear = (inst: string) =>
    handle.db.transaction((tx) =>
      resolveAlarmByClear(
        tx,
        { ruleId, owner: { kind: "node", id: nodeId }, instance: inst },
        { clearedAt: Date.now(), value: { reachable: true } },
      ),
    );
  const bodiesOf = (alarmId: string) =>
    received
      .filter((r) => r.status === 200)
      .map((r) => ({
        ...r,
        payload: JSON.parse(r.body) as { data: { seq: number; alarm: { id: string } } },
      }))
      .filter((r) => r.payload.data.alarm.id === alarmId);
  const startTwoWorkers = async () => {
    for (let i = 0; i < 2; i++)
      workers.push(
        await startWorker({
          databaseUrl: database.url,
          natsUrl: nats.url,
          heartbeatMs: 1_000,
          version: "test",
          log: () => {},
          secretKey,
          webhookSchedule: SCHEDULE,
        }),
      );
  };
  const stopWorkers = async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  };

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 3 });
    const estate = await unsafeSeedPolledComponents(handle.db, { name: "actions", components: 1 });
    nodeId = estate.nodeId;
    await unsafeEnsureCollectorRule(handle.db);
    ruleId = COLLECTOR_DOWN_RULE_ID;
    nats = await startNatsServer({
      dataDir: path.join(infra.tempDir, `actions-${process.pid}`),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    bus = connectBus({ servers: nats.url, name: "actions-test" });
    await ensureTopology(await bus.ready());
    port = await freePort();
    await listen();
    const admin = await createTestPrincipal(database.url, {
      name: "actions-admin",
      grants: [{ role: "admin" }],
    });
    const actor = (await loadActor(handle.db, admin.id))!;
    const ctx = { db: handle.db, actor, meta };
    const endpoint = await createWebhookEndpoint({
      ...ctx,
      input: { name: "receiver", url: `http://127.0.0.1:${port}/hook`, enabled: true },
      options: { secretKey, allowLoopback: true },
    });
    endpointId = endpoint.id;
    secret = endpoint.secret;
    await createActionRule({
      ...ctx,
      input: {
        name: "everything",
        enabled: true,
        matchers: {},
        scope: { kind: "all" },
        endpointIds: [endpointId],
      },
    });
    await startTwoWorkers();
  }, 60_000);
  afterAll(async () => {
    await stopWorkers();
    for (const child of children) await child.stop(2_000);
    if (server) await close().catch(() => {});
    await bus?.close();
    await nats?.stop();
    await handle?.close();
    await database?.drop();
  });

  it("refuses a loopback URL unless allowed, and never returns the secret again", async () => {
    const e = await readEndpoint(handle.db, endpointId);
    expect(JSON.stringify(e)).not.toContain("whsec_");
    expect(secret).toMatch(/^whsec_/);
  });

  it("delivers every transition once, signed verifiably, with two workers", async () => {
    const alarms = await Promise.all(Array.from({ length: 20 }, () => fault()));
    await eventually(async () => alarms.every((a) => bodiesOf(a.alarmId).length >= 1), 10_000);
    // Let any duplicate arrive before judging.
    await new Promise((r) => setTimeout(r, 500));
    for (const a of alarms) {
      const got = bodiesOf(a.alarmId);
      expect(got).toHaveLength(1);
      expect(got[0]!.verified).toBe(true);
      expect(got[0]!.payload.data.seq).toBe(1);
      const [d] = await unsafeListDeliveries(handle.db, { alarmId: a.alarmId });
      expect(d!.id).toBe(got[0]!.id);
      expect(d!.status).toBe("delivered");
      expect(d!.attempts).toBe(1);
      expect(d!.lastStatusCode).toBe(200);
      expect(d!.responseExcerpt).toBe("ok");
      // The attempt log: one row, the receiver's answer in it.
      const log = await unsafeListDeliveryAttempts(handle.db, d!.id);
      expect(log).toEqual([
        expect.objectContaining({
          attempt: 1,
          statusCode: 200,
          error: null,
          responseExcerpt: "ok",
        }),
      ]);
      expect(log[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    }
    const ids = received.map((r) => `${r.id}/${r.timestamp}`);
    expect(new Set(ids).size).toBe(ids.length);
    // A tampered body fails the receiver's check (the guard can fail).
    const one = received[0]!;
    expect(
      verifyWebhook({
        secrets: secret,
        headers: {
          "webhook-id": one.id,
          "webhook-timestamp": one.timestamp,
          "webhook-signature": one.signature,
        },
        body: one.body.replace("critical", "info"),
        now: new Date(),
      }).ok,
    ).toBe(false);
  }, 20_000);

  it("delivers after the receiver returns, in seq order per alarm, same webhook-id across retries", async () => {
    await close();
    const { alarmId, inst } = await fault();
    await clear(inst);
    await fault(inst); // reopened: seq 3
    await eventually(async () => {
      const ds = await unsafeListDeliveries(handle.db, { alarmId });
      return ds.length === 3 && ds.some((d) => d.status === "failed") ? ds : null;
    }, 10_000);
    // Down for a while: later seqs wait behind the first (never attempted before it).
    const waiting = await unsafeListDeliveries(handle.db, { alarmId });
    expect(waiting.filter((d) => d.attempts > 0).map((d) => d.alarmSeq)).toEqual([1]);
    await listen();
    await eventually(async () => bodiesOf(alarmId).length === 3, 10_000);
    const seqs = bodiesOf(alarmId).map((r) => r.payload.data.seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(bodiesOf(alarmId).every((r) => r.verified)).toBe(true);
    const kinds = bodiesOf(alarmId).map((r) => (JSON.parse(r.body) as { type: string }).type);
    expect(kinds).toEqual(["alarm.opened", "alarm.resolved", "alarm.reopened"]);
    const first = (await unsafeListDeliveries(handle.db, { alarmId })).find(
      (d) => d.alarmSeq === 1,
    )!;
    expect(first.attempts).toBeGreaterThan(1);
    expect(first.status).toBe("delivered");
    // Every attempt logged: the refused ones without a status code (the error names why), the
    // last one delivered; numbered 1, 2, 3 … like the delivery's count.
    const log = await unsafeListDeliveryAttempts(handle.db, first.id);
    expect(log.map((a) => a.attempt)).toEqual(
      Array.from({ length: first.attempts }, (_, i) => i + 1),
    );
    expect(
      log.slice(0, -1).every((a) => a.statusCode === null && /network error/.test(a.error!)),
    ).toBe(true);
    expect(log.at(-1)).toMatchObject({ statusCode: 200, error: null });
  }, 20_000);

  it("honours 429 Retry-After and dead-letters after the schedule", async () => {
    let calls = 0;
    answer = () =>
      ++calls === 1 ? { status: 429, headers: { "retry-after": "2" } } : { status: 200 };
    const { alarmId } = await fault();
    await eventually(async () => bodiesOf(alarmId).length === 1, 10_000);
    const attempts = received.filter((r) => {
      try {
        return (
          (JSON.parse(r.body) as { data: { alarm: { id: string } } }).data.alarm.id === alarmId
        );
      } catch {
        return false;
      }
    });
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    // The schedule says 300 ms; Retry-After said 2 s.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1_900);

    answer = () => ({ status: 500 });
    const dead = await fault();
    const d = await eventually(async () => {
      const [x] = await unsafeListDeliveries(handle.db, { alarmId: dead.alarmId });
      return x?.status === "dead" ? x : null;
    }, 10_000);
    expect(d.attempts).toBe(SCHEDULE.length);
    expect(d.lastStatusCode).toBe(500);
    expect(d.lastError).toContain("6 attempts");
    const log = await unsafeListDeliveryAttempts(handle.db, d.id);
    expect(log.map((a) => [a.attempt, a.statusCode, a.responseExcerpt])).toEqual(
      Array.from({ length: SCHEDULE.length }, (_, i) => [i + 1, 500, "no"]),
    );
    expect(log.at(-1)!.error).toContain("6 attempts made");
    // The throttled one: its 429 and then its 200, with Retry-After's wait between them.
    const throttled = await unsafeListDeliveryAttempts(
      handle.db,
      (await unsafeListDeliveries(handle.db, { alarmId }))[0]!.id,
    );
    expect(throttled.map((a) => a.statusCode)).toEqual([429, 200]);
    expect(Date.parse(throttled[1]!.at) - Date.parse(throttled[0]!.at)).toBeGreaterThanOrEqual(
      1_900,
    );
    answer = () => ({ status: 200 });
  }, 20_000);

  it("disables the endpoint on 410", async () => {
    answer = () => ({ status: 410 });
    const { alarmId } = await fault();
    await eventually(async () => !(await readEndpoint(handle.db, endpointId)).enabled, 10_000);
    const [d] = await unsafeListDeliveries(handle.db, { alarmId });
    expect(d!.status).toBe("dead");
    expect((await readEndpoint(handle.db, endpointId)).disabledReason).toContain("410");
    // Disabled: nothing more is sent to it.
    answer = () => ({ status: 200 });
    const before = received.length;
    const later = await fault();
    await new Promise((r) => setTimeout(r, 800));
    expect(received.length).toBe(before);
    await unsafeSetEndpointEnabled(handle.db, endpointId, true);
    await eventually(async () => bodiesOf(later.alarmId).length === 1, 10_000);
  }, 20_000);

  it("delivers a transition committed just before the worker was killed -9", async () => {
    await stopWorkers();
    const startChild = () => {
      const child = spawnManaged(path.join(APP, "node_modules/.bin/tsx"), ["src/main.ts"], {
        cwd: APP,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          NATS_URL: nats.url,
          OMNIGLASS_SECRET_KEY: secretKeyBase64,
          OMNIGLASS_WORKER_METRICS_PORT: "0",
          OMNIGLASS_WORKER_HEARTBEAT_MS: "1000",
        },
      });
      children.push(child);
      return child;
    };
    const first = startChild();
    // It works: a first fault is delivered through it.
    const warm = await fault();
    await eventually(async () => bodiesOf(warm.alarmId).length === 1, 20_000);
    // Frozen, the worker cannot publish; the transition commits; then kill -9.
    process.kill(-first.child.pid!, "SIGSTOP");
    const { alarmId } = await fault();
    expect((await unsafeUnpublishedOutbox(handle.db)).some((r) => r.alarmId === alarmId)).toBe(
      true,
    );
    process.kill(-first.child.pid!, "SIGKILL");
    await first.exited;
    expect(bodiesOf(alarmId)).toHaveLength(0);
    startChild();
    await eventually(async () => bodiesOf(alarmId).length === 1, 20_000);
    expect(bodiesOf(alarmId)[0]!.verified).toBe(true);
    expect(await unsafeUnpublishedOutbox(handle.db)).toHaveLength(0);
  }, 45_000);
});
