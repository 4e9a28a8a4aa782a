import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { TemplateFunction, type NodeTask, type Worklist } from "@omniglass/contracts";
import {
  readOperations,
  unsafeSeedPolledComponents,
  type Operations,
  type PolledEstate,
} from "@omniglass/gateway";
import { REPO_ROOT, spawnManaged, type ManagedProcess } from "@omniglass/infra";
import { eventually, testInfra } from "@omniglass/testing";
import { startWorkerHarness, type WorkerHarness } from "./test/worker-harness";

/*
 * Collectors, workers and schedules end to end (issue #16): a real node process (apps/node
 * src/main.ts) polling a loopback display every second and a real worker child storing the
 * heartbeats; the operations read, as the console and the REST API call it, must show a
 * function's last run, result and next run; a display that keeps failing as "failing" (running
 * but no longer succeeding); a function in the worklist the node does not run as "no-runner"; a
 * SIGSTOPped node stale then down; a SIGKILLed worker down with its clock jobs left without a
 * runner.
 */

const OWNER: Parameters<typeof readOperations>[0]["actor"] = {
  id: "0190f5a0-0000-7000-8000-0000000000a1",
  kind: "service",
  name: "ops-test-owner",
  grants: [{ grantId: "g", roleName: "owner", permissions: ["*:*"], scope: { kind: "all" } }],
};

describe("operations end to end", () => {
  let harness: WorkerHarness;
  let estate: PolledEstate;
  let server: Server;
  let failing = false;
  let node: ManagedProcess | null = null;
  let worker: ManagedProcess | null = null;
  const nodeLines: string[] = [];

  const read = (): Promise<Operations> => readOperations({ db: harness.handle.db, actor: OWNER });
  const diag = async () => {
    const ops = await read();
    return `\ncollectors ${JSON.stringify(ops.collectors.collectors)}\nworkers ${JSON.stringify(ops.collectors.workers)}\nrows ${JSON.stringify(ops.schedules.rows.slice(0, 6))}\nnode said ${nodeLines.slice(-6).join(" | ")}\nworker said ${harness.output.slice(-6).join(" | ")}`;
  };
  const until = (what: string, check: (ops: Operations) => boolean, ms = 30_000) =>
    eventually(async () => check(await read()), ms, 200).catch(async (error: Error) => {
      throw new Error(`${what}: ${error.message}${await diag()}`);
    });

  beforeAll(async () => {
    harness = await startWorkerHarness("ops-e2e", 0);
    estate = await unsafeSeedPolledComponents(harness.handle.db, {
      name: "opsdisplay",
      components: 1,
      template: "http-json-display",
    });
    const componentId = estate.componentIds[0]!;
    let worklist = "";
    server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/api/v1/nodes/self/worklist") return void res.end(worklist);
      if (failing) {
        res.statusCode = 500;
        return void res.end(JSON.stringify({ error: "lamp failure" }));
      }
      res.end(
        JSON.stringify({ power: "on", input: "hdmi-1", temperature: 40, volume: 10, muted: false }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    // The worklist the platform would send, minus the ping interface (its `reachability`
    // function stays configured with no runner), polled every second.
    const task: NodeTask = {
      component: { id: componentId, path: "opsdisplay.device-1" },
      interface: {
        name: "http",
        protocol: "http",
        port: 80,
        tls: false,
        verifyTls: true,
        auth: { scheme: "none" },
        timeout: "2s",
      },
      host: "127.0.0.1",
      port: (server.address() as AddressInfo).port,
      secrets: {},
      functions: [
        TemplateFunction.parse({
          name: "status",
          interface: "http",
          interval: "1s",
          request: { protocol: "http", path: "/api/status" },
          outputs: [{ signal: "temperature", from: "/temperature" }],
        }),
      ],
    };
    const list: Worklist = {
      node: { id: estate.nodeId, name: "opsdisplay-node" },
      etag: "ops-1",
      tasks: [task],
      signals: {},
    };
    worklist = JSON.stringify(list);

    const stateDir = path.join(testInfra().tempDir, `ops-e2e-node-${process.pid}`);
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    await writeFile(
      path.join(stateDir, "credential.json"),
      JSON.stringify({ nodeId: estate.nodeId, name: "opsdisplay-node", token: "og_test_ops" }),
      { mode: 0o600 },
    );
    worker = harness.startWorker();
    node = spawnManaged(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: path.join(REPO_ROOT, "apps/node"),
      env: {
        ...process.env,
        OMNIGLASS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        NATS_URL: harness.nats.url,
        OMNIGLASS_NODE_STATE_DIR: stateDir,
        OMNIGLASS_BATCH_MS: "200",
        OMNIGLASS_NODE_HEARTBEAT_MS: "1000",
        OMNIGLASS_WORKLIST_REFRESH_MS: "60000",
        OMNIGLASS_NODE_METRICS_PORT: "0",
      },
      onLine: (line) => nodeLines.push(line),
    });
  }, 60_000);

  afterAll(async () => {
    await node?.stop(0, "SIGKILL");
    await worker?.stop(2_000);
    await harness?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const statusKey = () => `${estate.componentIds[0]}/http/status`;
  const row = (ops: Operations, key: string) => ops.schedules.rows.find((r) => r.key === key);
  const collector = (ops: Operations) =>
    ops.collectors.collectors.find((c) => c.id === estate.nodeId);

  it(
    "shows runs, failing, no runner, a stopped node and a killed worker as they are",
    { timeout: 120_000 },
    async () => {
      // 1. Healthy: the function's last run, result and next run arrive; the node is idle or busy.
      await until("a healthy run", (ops) => {
        const r = row(ops, statusKey());
        return (
          r?.state === "ok" &&
          r.lastResult === "ok" &&
          r.lastRunAt !== null &&
          r.nextRunAt !== null &&
          ["idle", "busy"].includes(collector(ops)?.state ?? "")
        );
      });
      let ops = await read();
      expect(collector(ops)).toMatchObject({
        dependency: expect.stringMatching(/^NATS 127\.0\.0\.1:/),
      });
      expect(Date.parse(row(ops, statusKey())!.nextRunAt!)).toBeGreaterThan(Date.now() - 3_000);
      // Configured (in the template, bound to this node) but not in what the node runs.
      expect(row(ops, `${estate.componentIds[0]}/ping/reachability`)).toMatchObject({
        state: "no-runner",
        drift: true,
      });
      // The worker's clock jobs, run by the live worker.
      await until("the stale pass reported", (o) => row(o, "stale")?.state === "ok");
      ops = await read();
      expect(row(ops, "stale")!.runner?.kind).toBe("worker");
      expect(ops.collectors.workers.map((w) => w.state)).not.toContain("down");

      // 2. The display fails every poll: running but no longer succeeding, the node degraded.
      failing = true;
      await until("failing", (o) => {
        const r = row(o, statusKey());
        return r?.state === "failing" && r.drift && collector(o)?.state === "degraded";
      });
      ops = await read();
      expect(row(ops, statusKey())!.lastError).toContain("500");
      expect(ops.schedules.rows.findIndex((r) => r.key === statusKey())).toBeLessThan(
        ops.schedules.rows.findIndex((r) => !r.drift),
      );
      failing = false;
      await until("recovered", (o) => row(o, statusKey())?.state === "ok");

      // 3. The node process SIGSTOPped: stale after two missed beats, down after three; its
      //    functions then have no runner. Never green meanwhile.
      process.kill(-node!.child.pid!, "SIGSTOP");
      await until("stale", (o) => collector(o)?.state === "stale", 10_000);
      await until("down", (o) => collector(o)?.state === "down", 10_000);
      ops = await read();
      expect(collector(ops)!.reason).toContain("no heartbeat for");
      expect(row(ops, statusKey())).toMatchObject({ state: "no-runner", drift: true });
      process.kill(-node!.child.pid!, "SIGCONT");
      await until("back", (o) => ["idle", "busy"].includes(collector(o)?.state ?? ""));

      // 4. The worker SIGKILLed: down, its clock jobs without a runner.
      await worker!.stop(0, "SIGKILL");
      worker = null;
      await until(
        "worker down",
        (o) => o.collectors.workers.every((w) => w.state === "down"),
        15_000,
      );
      ops = await read();
      expect(row(ops, "stale")).toMatchObject({ state: "no-runner", drift: true });
      // The presence source is down with it: the node's stored heartbeat ages into stale/down.
      await until("node not vouched for", (o) =>
        ["stale", "down"].includes(collector(o)?.state ?? ""),
      );
    },
  );
});
