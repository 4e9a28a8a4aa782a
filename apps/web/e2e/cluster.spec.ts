/**
 * Scale-out (issue #12): the same processes on the engines that already scale. A three-server
 * nats-server cluster with JetStream (streams at three replicas) on loopback, two workers and two
 * web processes against one PostgreSQL. Mid-ingest, the NATS server the browser's web process is
 * connected to is killed, and so is one worker: every sample is stored exactly once, and the
 * browser's live stream keeps showing new values through the surviving servers.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { connectBus, publishJson, SUBJECTS } from "@omniglass/bus";
import { SampleBatch } from "@omniglass/contracts";
import {
  connectDatabase,
  unsafeBootstrapOwner,
  unsafeEnsureCurrentPartitions,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedPolledComponents,
  unsafeSeedRegistries,
} from "@omniglass/gateway";
import { findNatsServer, freePort, spawnManaged, type ManagedProcess } from "@omniglass/infra";
import { readStack } from "./stack";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKER_DIR = path.resolve(WEB_DIR, "../worker");

interface NatsMember {
  name: string;
  port: number;
  monitorPort: number;
  process: ManagedProcess;
}

async function until<T>(what: string, attempt: () => Promise<T | null | undefined>, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await attempt();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("a 3-server JetStream cluster, 2 workers and 2 web processes lose and double nothing when a server and a worker die", async ({
  page,
}) => {
  test.setTimeout(420_000);
  const dir = await mkdtemp(path.join(tmpdir(), "omniglass-cluster-"));
  const logs: string[] = [];
  const keep = (name: string) => (line: string) => {
    logs.push(`[${name}] ${line}`);
    if (logs.length > 200) logs.shift();
  };
  const processes: ManagedProcess[] = [];
  const binary = findNatsServer();
  expect(binary, "nats-server is installed").toBeTruthy();
  try {
    // Three servers, each routing to the other two.
    // Nine distinct ports: free ports asked for at once can come back the same (one server's
    // client and route port once did, and it died with "address already in use").
    const taken = new Set<number>();
    const distinctPort = async () => {
      for (;;) {
        const port = await freePort();
        if (!taken.has(port)) {
          taken.add(port);
          return port;
        }
      }
    };
    const ports: { port: number; monitorPort: number; routePort: number }[] = [];
    for (let i = 0; i < 3; i++)
      ports.push({
        port: await distinctPort(),
        monitorPort: await distinctPort(),
        routePort: await distinctPort(),
      });
    const members: NatsMember[] = ports.map((p, i) => {
      const routes = ports
        .filter((_, j) => j !== i)
        .map((o) => `nats://127.0.0.1:${o.routePort}`)
        .join(",");
      const server = spawnManaged(
        binary!,
        [
          "-js",
          "-sd",
          path.join(dir, `n${i}`),
          "--server_name",
          `n${i}`,
          "-a",
          "127.0.0.1",
          "-p",
          String(p.port),
          "-m",
          String(p.monitorPort),
          "--cluster_name",
          "og",
          "--cluster",
          `nats://127.0.0.1:${p.routePort}`,
          "--routes",
          routes,
        ],
        { onLine: keep(`n${i}`) },
      );
      processes.push(server);
      return { name: `n${i}`, port: p.port, monitorPort: p.monitorPort, process: server };
    });
    const natsUrl = members.map((m) => `nats://127.0.0.1:${m.port}`).join(",");
    for (const m of members) {
      await until(`${m.name} JetStream`, async () => {
        const r = await fetch(`http://127.0.0.1:${m.monitorPort}/healthz?js-enabled-only=true`);
        return r.ok;
      });
    }
    await until("a JetStream meta leader", async () => {
      const jsz = (await (
        await fetch(`http://127.0.0.1:${members[0]!.monitorPort}/jsz`)
      ).json()) as {
        meta_cluster?: { leader?: string; cluster_size?: number };
      };
      return jsz.meta_cluster?.leader && jsz.meta_cluster.cluster_size === 3;
    });

    // One database for this stack, on the suite's PostgreSQL.
    const databaseUrl = await unsafeEnsureDatabase(
      readStack().postgresServerUrl,
      `og_cluster_${process.pid}`,
    );
    await unsafeMigrate(databaseUrl);
    const database = connectDatabase({ url: databaseUrl, max: 2 });
    const password = randomBytes(12).toString("base64url");
    await unsafeSeedRegistries(database.db);
    await unsafeBootstrapOwner({
      db: database.db,
      meta: { requestId: "cluster", source: "cli", actor: null, realActor: null, ip: null },
      username: "cluster-owner",
      password,
    });
    const estate = await unsafeSeedPolledComponents(database.db, {
      name: "cluster",
      components: 20,
    });
    await unsafeEnsureCurrentPartitions(database.db);
    // The official rules stay on: every batch is judged (cpu-load > 90 holds on every sample),
    // and two workers ingesting the same series must not queue on it (issue #13).
    const [watched] = (
      await database.db.execute(
        `select path from component where id = '${estate.componentIds[0]}'` as never,
      )
    ).rows as { path: string }[];

    const baseEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: databaseUrl,
      NATS_URL: natsUrl,
      OMNIGLASS_NATS_REPLICAS: "3",
      OMNIGLASS_WORKER_HEARTBEAT_MS: "1000",
      OMNIGLASS_WORKER_METRICS_PORT: "0",
      OMNIGLASS_HOST: "127.0.0.1",
    };
    const startWorker = (name: string) => {
      const worker = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: WORKER_DIR,
        env: baseEnv,
        onLine: keep(name),
      });
      processes.push(worker);
      return worker;
    };
    const startWeb = async (name: string) => {
      const port = await freePort();
      const web = spawnManaged(process.execPath, ["--import", "tsx", "server.ts"], {
        cwd: WEB_DIR,
        env: { ...baseEnv, OMNIGLASS_PORT: String(port) },
        onLine: keep(name),
      });
      processes.push(web);
      const url = `http://127.0.0.1:${port}`;
      await until(`${name} healthy`, async () => (await fetch(`${url}/api/healthz`)).ok, 60_000);
      return { web, url };
    };
    const workerA = startWorker("worker-a");
    startWorker("worker-b");
    // The browser's web process starts alone, so the one web connection in the cluster is its own.
    const webB = await startWeb("web-b");
    const webServer = await until("web-b's NATS server", async () => {
      for (const m of members) {
        const connz = (await (await fetch(`http://127.0.0.1:${m.monitorPort}/connz`)).json()) as {
          connections?: { name?: string }[];
        };
        if (connz.connections?.some((c) => c.name === "omniglass-web")) return m;
      }
      return null;
    });
    await startWeb("web-a");

    // The stream is replicated three times once the workers declared the topology.
    await until("OG_SAMPLES at three replicas", async () => {
      const jsz = (await (
        await fetch(`http://127.0.0.1:${members[0]!.monitorPort}/jsz?streams=true&config=true`)
      ).json()) as {
        account_details?: {
          stream_detail?: { name: string; config?: { num_replicas?: number } }[];
        }[];
      };
      return jsz.account_details
        ?.flatMap((a) => a.stream_detail ?? [])
        .some((s) => s.name === "OG_SAMPLES" && s.config?.num_replicas === 3);
    });

    // The operator watches the first component through web-b.
    await page.goto(
      `${webB.url}/sign-in?next=${encodeURIComponent(`/components/${watched!.path}`)}`,
    );
    await page.getByLabel("Username").fill("cluster-owner");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`**/components/${watched!.path}`);

    // Publish like a node: batches with a message id, retried until the cluster acknowledges.
    const publisher = connectBus({ servers: natsUrl, name: "cluster-test-node" });
    const nc = await publisher.ready();
    const BATCHES = 240;
    const PER_BATCH = 50;
    const base = Date.now() - 10 * 60_000;
    // Whole numbers (cpu-load shows no decimals), unlike anything else on the page.
    const valueOf = (b: number) => 7000 + b;
    const publish = async (b: number) => {
      const samples = Array.from({ length: PER_BATCH }, (_, i) => ({
        component: estate.componentIds[i % estate.componentIds.length]!,
        signal: "cpu-load",
        instance: `cpu-${Math.floor(i / estate.componentIds.length)}`,
        ts: base + b * 1000,
        value: valueOf(b),
      }));
      const batch = { node: estate.nodeId, batchId: `c-${b}`, samples, rejections: [] };
      for (let attempt = 0; ; attempt++) {
        try {
          await publishJson(nc, SUBJECTS.samples(estate.nodeId), SampleBatch, batch, {
            msgId: batch.batchId,
          });
          return;
        } catch (error) {
          if (attempt > 100) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    const THIRD = BATCHES / 3;
    for (let b = 0; b < THIRD; b++) await publish(b);
    // The first third is stored, and the page shows live values (how soon each one reaches it
    // depends on the machine; the last one must, below).
    await until(
      "the first third stored",
      async () => {
        const [row] = (await database.db.execute("select count(*)::int as n from sample" as never))
          .rows as { n: number }[];
        return row && row.n >= THIRD * PER_BATCH;
      },
      120_000,
    );
    await expect(page.getByText(/^7\d{3} %$/).first()).toBeVisible({ timeout: 60_000 });

    // Mid-ingest: while batches are still going out, the browser's NATS server and one worker
    // die without warning.
    let sent = THIRD;
    const rest = (async () => {
      for (; sent < BATCHES; sent++) await publish(sent);
    })();
    await until("more batches on their way", async () => sent >= THIRD + 20, 30_000);
    webServer.process.child.kill("SIGKILL");
    workerA.child.kill("SIGKILL");
    await rest;

    const total = BATCHES * PER_BATCH;
    const stored = await until(
      "every sample stored",
      async () => {
        const [row] = (
          await database.db.execute(
            "select count(*)::int as n, count(distinct (series_id, ts))::int as d from sample" as never,
          )
        ).rows as { n: number; d: number }[];
        return row && row.n >= total ? row : null;
      },
      180_000,
    );
    expect(stored).toEqual({ n: total, d: total });
    // The live stream carried on through the other servers: the last value reached the page.
    await expect(page.getByText(String(valueOf(BATCHES - 1))).first()).toBeVisible({
      timeout: 90_000,
    });
    await publisher.close();
    await database.close();
  } catch (error) {
    console.log(logs.slice(-80).join("\n"));
    throw error;
  } finally {
    await Promise.all(processes.map((p) => p.stop(10_000).catch(() => {})));
    await rm(dir, { recursive: true, force: true });
  }
});
