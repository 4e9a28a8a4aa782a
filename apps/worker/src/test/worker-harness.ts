/**
 * What the worker's process-level tests share: a database with polled components, a nats-server
 * of their own with the topology declared, and worker children (the real `src/main.ts`) started
 * and stopped around it. Test code only.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connectBus, ensureTopology, type BusConnection } from "@omniglass/bus";
import {
  connectDatabase,
  unsafeSeedPolledComponents,
  unsafeTelemetrySnapshot,
  type DatabaseHandle,
  type PolledEstate,
} from "@omniglass/gateway";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import {
  freePort,
  spawnManaged,
  startNatsServer,
  type ManagedProcess,
  type RunningNats,
} from "@omniglass/infra";
import { testInfra } from "@omniglass/testing";

const APP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface WorkerHarness {
  handle: DatabaseHandle;
  nats: RunningNats;
  bus: BusConnection;
  estate: PolledEstate;
  /** Every line the workers printed, prefixed with the worker's name. */
  output: string[];
  /** A worker child on this database and NATS (heartbeat 1 s, no metrics endpoint). */
  startWorker(name?: string): ManagedProcess;
  /** Samples stored for the estate's components. */
  stored(): Promise<number>;
  close(): Promise<void>;
}

export async function startWorkerHarness(name: string, components: number): Promise<WorkerHarness> {
  const infra = testInfra();
  const database: TestDatabase = await createTestDatabase(
    infra.postgresServerUrl,
    infra.templateDatabase,
  );
  const handle = connectDatabase({ url: database.url, max: 2 });
  const estate = await unsafeSeedPolledComponents(handle.db, { name, components });
  const nats = await startNatsServer({
    dataDir: path.join(infra.tempDir, `${name}-${process.pid}`),
    port: await freePort(),
    monitorPort: await freePort(),
  });
  const bus = connectBus({ servers: nats.url, name: `${name}-test` });
  // The stream exists before any worker does (the node's publishes need it).
  await ensureTopology(await bus.ready());
  const children: ManagedProcess[] = [];
  const output: string[] = [];
  return {
    handle,
    nats,
    bus,
    estate,
    output,
    startWorker(worker = "worker") {
      const child = spawnManaged(path.join(APP, "node_modules/.bin/tsx"), ["src/main.ts"], {
        cwd: APP,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          NATS_URL: nats.url,
          OMNIGLASS_WORKER_HEARTBEAT_MS: "1000",
          OMNIGLASS_WORKER_METRICS_PORT: "0",
        },
        onLine: (line) => output.push(`${worker}: ${line}`),
      });
      children.push(child);
      return child;
    },
    stored: async () =>
      (await unsafeTelemetrySnapshot(handle.db, { componentIds: estate.componentIds })).samples,
    async close() {
      for (const child of children) await child.stop(2_000);
      await bus.close();
      await nats.stop();
      await handle.close();
      await database.drop();
    },
  };
}
