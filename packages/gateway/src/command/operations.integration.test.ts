import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import {
  WORKER_JOBS,
  type FunctionRun,
  type NodeHeartbeat,
  type WorkerHeartbeat,
} from "@omniglass/contracts";
import { summarizeNodeSchedule, type Actor } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { unsafeRecordNodeHeartbeat } from "../telemetry/freshness";
import { unsafeSeedPolledComponents, type PolledEstate } from "../telemetry/fixtures";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { unsafeRecordWorkerHeartbeat } from "../workers/record-worker-heartbeat";
import { readOperations } from "./operations";
import { loadDesiredFunctions } from "./operations-load";

/*
 * The operations read against a real PostgreSQL: desired (worklists, expected clock jobs,
 * windows) against actual (stored heartbeats), scoped, in a constant number of statements.
 */

describe("readOperations", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let estate: PolledEstate;
  let other: PolledEstate;
  let owner: Actor;
  let viewer: Actor;
  const statements: string[] = [];
  const now = new Date();
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  const run = (componentId: string, fn: string, overrides: Partial<FunctionRun> = {}) => ({
    key: `${componentId}/snmp/${fn}`,
    component: "c",
    fn,
    intervalMs: fn === "system" ? 60_000 : 30_000,
    lastRunAt: ago(2_000),
    lastResult: "ok" as const,
    lastError: null,
    lastSuccessAt: ago(2_000),
    consecutiveFailures: 0,
    nextRunAt: ago(-20_000),
    runningSince: null,
    ...overrides,
  });

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, onQuery: (q) => statements.push(q) });
    estate = await unsafeSeedPolledComponents(handle.db, { name: "opsa", components: 3 });
    other = await unsafeSeedPolledComponents(handle.db, { name: "opsb", components: 2 });
    const o = await createTestPrincipal(database.url, {
      name: "ops-owner",
      grants: [{ role: "owner" }],
    });
    const v = await createTestPrincipal(database.url, {
      name: "ops-viewer",
      grants: [{ role: "viewer", location: "opsb" }],
    });
    owner = (await loadActor(handle.db, o.id))!;
    viewer = (await loadActor(handle.db, v.id))!;

    // Node A: every function but one reported; one failing for an hour.
    const [c1, c2, c3] = estate.componentIds as [string, string, string];
    const runs = [
      run(c1, "system"),
      run(c1, "ports"),
      run(c2, "system", {
        lastResult: "error",
        lastError: "no answer within 2s",
        consecutiveFailures: 60,
        lastSuccessAt: ago(3_600_000),
      }),
      run(c2, "ports"),
      run(c3, "system"),
      // c3 ports: not reported (configured but no runner).
    ];
    const beat: NodeHeartbeat = {
      nodeId: estate.nodeId,
      version: "t",
      hostname: "edge-a",
      startedAt: ago(600_000),
      beatAt: ago(1_000),
      intervalMs: 10_000,
      worklistEtag: "e",
      tasks: 3,
      functions: runs.length,
      running: 0,
      buffered: 0,
      published: 5,
      lastError: null,
      schedule: summarizeNodeSchedule(runs, now.getTime()),
      currentWork: null,
      natsServer: "127.0.0.1:4222",
    };
    await unsafeRecordNodeHeartbeat(handle.db, beat);
    // Node B sent none.

    const job = (name: string, everyMs: number) => ({
      name,
      everyMs,
      lastRunAt: ago(300),
      lastResult: "ok" as const,
      lastError: null,
      lastSuccessAt: ago(300),
      consecutiveFailures: 0,
      nextRunAt: ago(-everyMs + 300),
      runningSince: null,
    });
    const worker: WorkerHeartbeat = {
      workerId: uuidv7(),
      hostname: "w1",
      pid: 10,
      version: "t",
      startedAt: ago(600_000),
      beatAt: ago(500),
      intervalMs: 5_000,
      lifecycle: "running",
      consumers: [],
      lastError: null,
      // Everything but retention.
      jobs: WORKER_JOBS.filter((j) => j.name !== "retention").map((j) => job(j.name, j.everyMs)),
      busy: [],
      natsServer: "127.0.0.1:4222",
    };
    await unsafeRecordWorkerHeartbeat({ db: handle.db, heartbeat: worker });
    // A disabled window with occurrences ahead: paused.
    await handle.db.execute(sql`
      insert into maintenance_window (id, name, scope_kind, scope_location_id, dtstart, time_zone, duration, rrule, first_start, enabled)
      select ${uuidv7()}, 'weekly-reboot', 'location', id, '2026-01-05T02:00', 'UTC', '2h', 'FREQ=WEEKLY', '2026-01-05T02:00Z', false
      from location where path = 'opsa'`);
  }, 60_000);

  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it("tells collectors and workers apart by state", async () => {
    const { collectors } = await readOperations({ db: handle.db, actor: owner, now });
    const a = collectors.collectors.find((c) => c.id === estate.nodeId)!;
    const b = collectors.collectors.find((c) => c.id === other.nodeId)!;
    expect(a).toMatchObject({ state: "degraded", dependency: "NATS 127.0.0.1:4222" });
    expect(a.reason).toContain("1 of 5 functions failing: no answer within 2s");
    expect(b).toMatchObject({ state: "down", reason: "never sent a heartbeat" });
    expect(collectors.workers).toHaveLength(1);
    expect(collectors.workers[0]).toMatchObject({ state: "idle", name: "w1:10" });
    expect(collectors.counts).toMatchObject({ degraded: 1, down: 1, idle: 1 });
    expect(collectors.source).toContain("heartbeats");
  });

  it("shows desired vs actual with drift first", async () => {
    const { schedules } = await readOperations({ db: handle.db, actor: owner, now });
    const [c1, c2, c3] = estate.componentIds as [string, string, string];
    const byKey = new Map(schedules.rows.map((r) => [r.key, r]));
    expect(byKey.get(`${c1}/snmp/system`)).toMatchObject({ state: "ok", drift: false });
    expect(byKey.get(`${c2}/snmp/system`)).toMatchObject({ state: "failing", drift: true });
    expect(byKey.get(`${c3}/snmp/ports`)).toMatchObject({ state: "no-runner", drift: true });
    // Node B is down: every function of its two components has no runner.
    const ofB = schedules.rows.filter((r) => r.runner?.id === other.nodeId);
    const perComponent = schedules.rows.filter((r) => r.key.startsWith(c1)).length;
    expect(ofB).toHaveLength(2 * perComponent);
    expect(ofB.every((r) => r.state === "no-runner" && r.reason.includes("is down"))).toBe(true);
    expect(byKey.get("retention")).toMatchObject({ state: "no-runner", runner: null });
    expect(byKey.get("stale")).toMatchObject({ state: "ok", kind: "job" });
    const window = schedules.rows.find((r) => r.kind === "window")!;
    expect(window).toMatchObject({ name: "weekly-reboot", state: "paused", drift: true });
    expect(window.nextRunAt).not.toBeNull();
    // Drift first.
    const firstHealthy = schedules.rows.findIndex((r) => !r.drift);
    expect(schedules.rows.slice(firstHealthy).every((r) => !r.drift)).toBe(true);
    expect(schedules.drift).toBe(schedules.rows.filter((r) => r.drift).length);
  });

  it("summary: the functions the heartbeats list, no worklists read", async () => {
    const [, c2, c3] = estate.componentIds as [string, string, string];
    statements.length = 0;
    const { schedules } = await readOperations({
      db: handle.db,
      actor: owner,
      now,
      detail: "summary",
    });
    expect(statements.some((q) => q.includes("jsonb_array_elements"))).toBe(false);
    const byKey = new Map(schedules.rows.map((r) => [r.key, r]));
    expect(byKey.get(`${c2}/snmp/system`)).toMatchObject({ state: "failing", drift: true });
    expect(byKey.has(`${c3}/snmp/ports`)).toBe(false);
    expect(schedules.rows.filter((r) => r.kind === "function")).toHaveLength(5);
  });

  it("scopes nodes and windows by location", async () => {
    const { collectors, schedules } = await readOperations({ db: handle.db, actor: viewer, now });
    expect(collectors.collectors.map((c) => c.id)).toEqual([other.nodeId]);
    expect(schedules.rows.some((r) => r.runner?.id === estate.nodeId)).toBe(false);
    expect(schedules.rows.some((r) => r.kind === "window")).toBe(false);
  });

  it("counts desired functions per node beyond the rows it lists", async () => {
    const all = await loadDesiredFunctions(handle.db, owner);
    const capped = await loadDesiredFunctions(handle.db, owner, 2);
    expect(capped.rows).toHaveLength(2);
    expect(capped.perNode).toEqual(all.perNode);
    expect(all.perNode.get(estate.nodeId)).toBe(
      all.rows.filter((r) => r.nodeId === estate.nodeId).length,
    );
  });

  it("costs the same number of statements whatever the estate's size", async () => {
    statements.length = 0;
    await readOperations({ db: handle.db, actor: owner, now });
    const before = statements.length;
    await unsafeSeedPolledComponents(handle.db, { name: "opsc", components: 40 });
    statements.length = 0;
    await readOperations({ db: handle.db, actor: owner, now });
    expect(statements.length).toBe(before);
    expect(before).toBeLessThanOrEqual(4);
  });
});
