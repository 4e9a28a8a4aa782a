import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  connectDatabase,
  enrollNode,
  getOwnerValues,
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
  let ownerActor: NonNullable<Awaited<ReturnType<typeof loadActor>>>;
  let components: string[] = [];
  let controlUrl = "";
  let nats: RunningNats;
  let platform: Server;
  const children: ManagedProcess[] = [];
  const output: string[] = [];

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    const meta = {
      requestId: "demo-coverage",
      source: "cli",
      actor: null,
      realActor: null,
      ip: null,
    } as const;
    const owner = await unsafeBootstrapOwner({ db: handle.db, meta, username: "admin" });
    ownerActor = (await loadActor(handle.db, owner.principalId))!;
    const estate = await unsafeSeedDemoEstate(handle.db);
    expect(estate.components).toBe(112);
    const secretKey = parseSecretKey(newSecretKeyBase64());
    // Outside the ephemeral range other tests' free ports come from, apart per test process.
    const basePort = 20_000 + (process.pid % 60) * 150;
    const telemetry = await unsafeWireDemoTelemetry(handle.db, {
      owner: "admin",
      basePort,
      secretKey,
    });
    const fleet = telemetry!.fleet;
    // Every component of the estate is a simulated device.
    components = fleet.map((device) => device.id);
    expect(new Set(components).size).toBe(estate.components);
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
    app("simulator", "apps/simulator", ["src/main.ts", "--fleet-json", JSON.stringify(fleet)]);
    for (let waited = 0; !controlUrl; waited += 100) {
      if (waited > 30_000)
        throw new Error(`the simulator did not start: ${output.slice(-5).join(" | ")}`);
      await sleep(100);
      controlUrl = /ready control=(http:\/\/[\d.:]+)/.exec(output.join("\n"))?.[1] ?? "";
    }
    app("node", "apps/node", ["src/main.ts"]);
  }, 120_000);

  afterAll(async () => {
    for (const child of children.reverse()) await child.stop(3_000);
    await nats?.stop();
    await new Promise((resolve) => platform?.close(resolve));
    await handle?.close();
    await database?.drop();
  });

  /**
   * Per component, the signals its template declares with no value yet, read as the console
   * reads them (`/components/{ref}/values`: a declared signal never reported is listed with a
   * null value); and every `reachable` that is not true.
   */
  async function coverage() {
    const lacking = new Map<string, string[]>();
    const unreachable: string[] = [];
    for (const ref of components) {
      const { values } = await getOwnerValues({
        db: handle.db,
        actor: ownerActor,
        meta: { requestId: "demo-coverage", source: "cli", actor: null, realActor: null, ip: null },
        kind: "component",
        input: { ref },
      });
      const have = new Set(values.filter((v) => v.value !== null).map((v) => v.signal));
      const missing = [...new Set(values.map((v) => v.signal))].filter((name) => !have.has(name));
      if (missing.length > 0) lacking.set(ref, missing.sort());
      for (const v of values)
        if (v.signal === "reachable" && v.value !== true)
          unreachable.push(`${ref}: ${String(v.value)}`);
    }
    return { lacking, unreachable };
  }

  it(
    "every component has a value for every signal its template declares within a minute",
    async () => {
      const started = Date.now();
      let state = await coverage();
      while (state.lacking.size > 0 && Date.now() - started < DEADLINE_MS) {
        await sleep(2_000);
        state = await coverage();
      }
      const report = [...state.lacking].map(([ref, names]) => `${ref}: ${names.join(", ")}`);
      const problems = output.filter((line) => /error|warn|fatal/i.test(line)).slice(-10);
      expect(
        report,
        `${state.lacking.size} of ${components.length} components lack signals\n${problems.join("\n")}`,
      ).toEqual([]);
      console.log(
        `all ${components.length} demo components report every declared signal after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(state.unreachable).toEqual([]);
    },
    DEADLINE_MS + 30_000,
  );

  /** The current `reachable` of one component, as the console reads it. */
  async function reachable(ref: string): Promise<unknown> {
    const { values } = await getOwnerValues({
      db: handle.db,
      actor: ownerActor,
      meta: { requestId: "demo-coverage", source: "cli", actor: null, realActor: null, ip: null },
      kind: "component",
      input: { ref, signal: "reachable" },
    });
    return values[0]?.value ?? null;
  }

  async function until(ref: string, wanted: boolean, withinMs: number): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < withinMs) {
      if ((await reachable(ref)) === wanted) return Date.now() - started;
      await sleep(500);
    }
    throw new Error(`${ref}: reachable did not turn ${wanted} within ${withinMs / 1000} s`);
  }

  it("a display made unreachable in the simulator reads reachable false; reset, true again", async () => {
    const display = "riverside.north.floor-1.boardroom-110.display-left";
    const fault = await fetch(`${controlUrl}/devices/${display}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ unreachable: true }),
    });
    expect(fault.status).toBe(200);
    // The reachability check runs every 30 s: one interval, plus the batch and the ingest.
    const down = await until(display, false, 40_000);
    const reset = await fetch(`${controlUrl}/devices/${display}/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    const up = await until(display, true, 40_000);
    console.log(
      `reachable false after ${down / 1000} s, true again ${up / 1000} s after the reset`,
    );
  }, 100_000);
});
