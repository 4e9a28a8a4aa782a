import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import {
  connectDatabase,
  enrollNode,
  getWorklist,
  loadActor,
  unsafeBootstrapOwner,
  unsafeDemoEnrollmentToken,
  unsafeSeedDemoEstate,
  unsafeWireDemoTelemetry,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { newSecretKeyBase64, parseSecretKey } from "@omniglass/gateway/secrets";
import { createTestDatabase, type TestDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { startNatsServer, type RunningNats } from "./nats";
import { freePort, sleep, spawnManaged, type ManagedProcess } from "./processes";
import { REPO_ROOT } from "./runtime-file";

/*
 * The demo's data plane end to end, as `npm start` runs it: the demo estate and its wiring, the
 * simulator with the whole fleet, a real node polling it (its worklist is the gateway's, served
 * here in place of the web app) and a real worker ingesting into PostgreSQL, over a nats-server of
 * this test's own. Within a minute, every component of the demo estate has a current value for
 * every signal its template declares (counters included: a rate needs two readings), and every
 * reachable reads true.
 */

const DEADLINE_MS = 60_000;

describe("the demo estate reports", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let client: pg.Client;
  let nats: RunningNats;
  let platform: Server;
  const children: ManagedProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const meta = {
      requestId: "demo-coverage",
      source: "cli",
      actor: null,
      realActor: null,
      ip: null,
    } as const;
    await unsafeBootstrapOwner({ db: handle.db, meta, username: "admin" });
    await unsafeSeedDemoEstate(handle.db);
    const secretKey = parseSecretKey(newSecretKeyBase64());
    // Outside the ephemeral range other tests' free ports come from, apart per test process.
    const basePort = 20_000 + (process.pid % 60) * 150;
    const telemetry = await unsafeWireDemoTelemetry(handle.db, {
      owner: "admin",
      basePort,
      secretKey,
    });
    const fleet = telemetry!.fleet;
    const credential = await enrollNode({
      db: handle.db,
      meta,
      input: { token: await unsafeDemoEnrollmentToken(handle.db, { owner: "admin" }) },
    });
    const nodeActor = (await loadActor(handle.db, credential.nodeId))!;

    // The platform's one route the node reads: its worklist, as the gateway builds it.
    platform = createServer((req, res) => {
      if (
        req.url !== "/api/v1/nodes/self/worklist" ||
        req.headers.authorization !== `Bearer ${credential.token}`
      ) {
        res.writeHead(req.url === "/api/v1/nodes/self/worklist" ? 401 : 404).end();
        return;
      }
      getWorklist({ db: handle.db, actor: nodeActor, secretKey }).then(
        (worklist) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(worklist));
        },
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    await new Promise<void>((resolve) => platform.listen(0, "127.0.0.1", resolve));
    const platformUrl = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;

    const dir = path.join(infra.tempDir, `demo-coverage-${process.pid}`);
    nats = await startNatsServer({
      dataDir: path.join(dir, "nats"),
      port: await freePort(),
      monitorPort: await freePort(),
    });
    const stateDir = path.join(dir, "node");
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFile(path.join(stateDir, "credential.json"), JSON.stringify(credential), {
      mode: 0o600,
    });

    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      OMNIGLASS_WORKER_METRICS_PORT: "0",
      OMNIGLASS_NODE_METRICS_PORT: "0",
      OMNIGLASS_URL: platformUrl,
      OMNIGLASS_NODE_STATE_DIR: stateDir,
    };
    const app = (name: string, dir: string, args: string[]) => {
      const child = spawnManaged(process.execPath, ["--import", "tsx", ...args], {
        cwd: path.join(REPO_ROOT, dir),
        env,
        onLine: (line) => output.push(`${name}: ${line}`),
      });
      children.push(child);
      return child;
    };
    app("worker", "apps/worker", ["src/main.ts"]);
    const simulator = app("simulator", "apps/simulator", [
      "src/main.ts",
      "--fleet-json",
      JSON.stringify(fleet),
    ]);
    for (let waited = 0; !output.some((l) => l.includes("ready control=")); waited += 100) {
      if (waited > 30_000)
        throw new Error(`the simulator did not start: ${output.slice(-5).join(" | ")}`);
      await sleep(100);
    }
    void simulator;
    app("node", "apps/node", ["src/main.ts"]);
  }, 120_000);

  afterAll(async () => {
    for (const child of children.reverse()) await child.stop(3_000);
    await nats?.stop();
    await new Promise((resolve) => platform?.close(resolve));
    await client?.end();
    await handle?.close();
    await database?.drop();
  });

  /** Per component, the signals its template declares that have no current value yet. */
  async function missing(): Promise<Map<string, string[]>> {
    const rows = await client.query<{
      path: string;
      document: { functions: { outputs: { signal: string }[] }[] };
      have: string[] | null;
    }>(`
      select c.path, t.document,
        (select array_agg(distinct s.name) from series v join signal s on s.id = v.signal_id
          where v.component_id = c.id and v.value is not null) as have
      from component c join template t on t.id = c.template_id
      order by c.path`);
    const result = new Map<string, string[]>();
    for (const row of rows.rows) {
      const declared = new Set(
        row.document.functions.flatMap((f) => f.outputs.map((o) => o.signal)),
      );
      const have = new Set(row.have ?? []);
      const lacking = [...declared].filter((name) => !have.has(name)).sort();
      if (lacking.length > 0) result.set(row.path, lacking);
    }
    return result;
  }

  it(
    "every component has a value for every signal its template declares within a minute",
    async () => {
      const started = Date.now();
      let lacking = await missing();
      while (lacking.size > 0 && Date.now() - started < DEADLINE_MS) {
        await sleep(2_000);
        lacking = await missing();
      }
      const [components] = (
        await client.query<{ n: number }>("select count(*)::int as n from component")
      ).rows;
      const report = [...lacking].slice(0, 20).map(([p, names]) => `${p}: ${names.join(", ")}`);
      expect(
        report,
        `${lacking.size} of ${components!.n} components lack signals\n${output
          .filter((l) => /error|warn|fatal/i.test(l))
          .slice(-10)
          .join("\n")}`,
      ).toEqual([]);
      console.log(
        `all ${components!.n} demo components report every declared signal after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );

      const unreachable = await client.query<{ path: string; value: unknown }>(`
      select c.path, v.value from series v join signal s on s.id = v.signal_id
      join component c on c.id = v.component_id
      where s.name = 'reachable' and v.value <> 'true'::jsonb`);
      expect(unreachable.rows).toEqual([]);
    },
    DEADLINE_MS + 30_000,
  );
});
