import { afterAll, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import {
  connectDatabase,
  listWorkers,
  unsafeEnsureDatabase,
  unsafeMigrate,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import {
  freePort,
  startEmbeddedPostgres,
  startNatsServer,
  type RunningNats,
} from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorker } from "./worker";

const meta = {
  requestId: "test",
  source: "worker" as const,
  actor: null,
  realActor: null,
  ip: null,
};

/** A nats-server of this file's own: the presence durable is shared by every worker on a server. */
async function ownNats(name: string) {
  const dataDir = path.join(testInfra().tempDir, `${name}-${process.pid}`);
  const port = await freePort();
  const monitorPort = await freePort();
  return { start: () => startNatsServer({ dataDir, port, monitorPort }) };
}

describe("worker", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let nats: RunningNats;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    nats = await (await ownNats("worker-nats")).start();
  });
  afterAll(async () => {
    await nats.stop();
    await handle.close();
    await database.drop();
  });

  const registryRow = async (id: string) =>
    (await listWorkers({ db: handle.db, meta, input: { page_size: 500 } })).items.find(
      (w) => w.id === id,
    );

  it("registers through its own heartbeat, reports its consumers, and says when it stopped", async () => {
    const worker = await startWorker({
      databaseUrl: database.url,
      natsUrl: nats.url,
      heartbeatMs: 200,
      version: "test",
      log: () => {},
    });
    try {
      const row = await eventually(async () => {
        const r = await registryRow(worker.id);
        return r?.state === "running" ? r : null;
      });
      expect(row).toMatchObject({ version: "test", pid: process.pid, intervalMs: 200 });
      const withConsumers = await eventually(async () => {
        const r = await registryRow(worker.id);
        return r && r.consumers.length > 0 ? r : null;
      });
      expect(withConsumers.consumers).toContainEqual(
        expect.objectContaining({ stream: "OG_PRESENCE", name: "presence" }),
      );
    } finally {
      await worker.stop();
    }
    // The last beat, published on the way out, is recorded by the shared durable consumer; start a
    // second worker to drain it (the stopped one no longer consumes).
    const drainer = await startWorker({
      databaseUrl: database.url,
      natsUrl: nats.url,
      heartbeatMs: 200,
      version: "test",
      log: () => {},
    });
    try {
      const stopped = await eventually(async () => {
        const r = await registryRow(worker.id);
        return r?.state === "stopped" ? r : null;
      });
      expect(stopped.state).toBe("stopped");
    } finally {
      await drainer.stop();
    }
  });

  it("survives a NATS restart without being restarted", async () => {
    const server = await ownNats("restart-nats");
    let restartable = await server.start();
    const worker = await startWorker({
      databaseUrl: database.url,
      natsUrl: restartable.url,
      heartbeatMs: 200,
      version: "test",
      log: () => {},
    });
    try {
      const before = await eventually(() => registryRow(worker.id));
      await restartable.stop();
      const downAt = Date.now();
      restartable = await server.start();
      const after = await eventually(async () => {
        const r = await registryRow(worker.id);
        return r && new Date(r.lastSeenAt).getTime() > downAt ? r : null;
      }, 15_000);
      expect(after.state).toBe("running");
      expect(new Date(after.lastSeenAt).getTime()).toBeGreaterThan(
        new Date(before.lastSeenAt).getTime(),
      );
    } finally {
      await worker.stop();
      await restartable.stop();
    }
  });

  it("survives a PostgreSQL restart without being restarted", async () => {
    const dataDir = path.join(testInfra().tempDir, `pg-restart-${process.pid}`);
    const port = await freePort();
    let postgres = await startEmbeddedPostgres({ dataDir, port });
    const url = await unsafeEnsureDatabase(postgres.serverUrl, "omniglass");
    await unsafeMigrate(url);
    const own = connectDatabase({ url });
    const worker = await startWorker({
      databaseUrl: url,
      natsUrl: nats.url,
      heartbeatMs: 200,
      version: "test",
      log: () => {},
    });
    const rowIn = async () =>
      (await listWorkers({ db: own.db, meta, input: { page_size: 500 } })).items.find(
        (w) => w.id === worker.id,
      );
    try {
      await eventually(rowIn);
      await postgres.stop();
      // Beats keep flowing into JetStream while the database is away; they are nak'd and retried.
      await new Promise((r) => setTimeout(r, 1_000));
      postgres = await startEmbeddedPostgres({ dataDir, port });
      const backAt = Date.now();
      const after = await eventually(async () => {
        const r = await rowIn();
        return r && new Date(r.lastSeenAt).getTime() > backAt ? r : null;
      }, 15_000);
      expect(after.state).toBe("running");
    } finally {
      await worker.stop();
      await own.close();
      await postgres.stop();
    }
  });
});
