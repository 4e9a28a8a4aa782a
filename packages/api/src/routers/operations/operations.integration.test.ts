import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollectorsReport, SchedulesReport, WORKER_JOBS } from "@omniglass/contracts";
import { unsafeRecordWorkerHeartbeat, unsafeSeedPolledComponents } from "@omniglass/gateway";
import { createTestPrincipal } from "@omniglass/gateway/testing";
import { createTestbed, type Testbed } from "../../testbed";

/*
 * GET /collectors and GET /schedules over REST: the capability, the scope, the wire shape, and
 * a worker whose heartbeat has no jobs yet judged unknown rather than healthy.
 */

describe("operations over REST", () => {
  let bed: Testbed;
  let nodeId: string;

  beforeAll(async () => {
    bed = await createTestbed();
    nodeId = (await unsafeSeedPolledComponents(bed.db, { name: "opsrest", components: 2 })).nodeId;
    const at = new Date().toISOString();
    await unsafeRecordWorkerHeartbeat({
      db: bed.db,
      heartbeat: {
        workerId: "01936f2c-0000-7000-8000-0000000000aa",
        hostname: "w-old",
        pid: 7,
        version: "old",
        startedAt: at,
        beatAt: at,
        intervalMs: 5_000,
        lifecycle: "running",
        consumers: [],
        lastError: null,
      },
    });
  });
  afterAll(() => bed.close());

  it("answers 401 without a credential and 403 without node:read", async () => {
    expect((await bed.rest("GET", "/collectors", { token: null })).status).toBe(401);
    const nobody = await createTestPrincipal(bed.databaseUrl, { name: "ops-nobody", grants: [] });
    expect((await bed.rest("GET", "/schedules", { token: nobody.token })).status).toBe(403);
  });

  it("lists the node down (never beat) and an old-version worker up, with source and as-of", async () => {
    const response = await bed.rest("GET", "/collectors");
    expect(response.status).toBe(200);
    const report = CollectorsReport.parse(await response.json());
    expect(report.collectors.find((c) => c.id === nodeId)).toMatchObject({
      state: "down",
      reason: "never sent a heartbeat",
      location: { path: "opsrest" },
    });
    expect(report.workers).toEqual([
      expect.objectContaining({ name: "w-old:7", state: "up", jobs: null }),
    ]);
    expect(report.workersVisible).toBe(true);
    expect(Date.parse(report.asOf)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("lists schedules drift first; a worker reporting no jobs leaves its jobs unknown, not ok", async () => {
    const response = await bed.rest("GET", "/schedules");
    expect(response.status).toBe(200);
    const report = SchedulesReport.parse(await response.json());
    const jobs = report.rows.filter((r) => r.kind === "job");
    expect(jobs.map((j) => j.key).sort()).toEqual(WORKER_JOBS.map((j) => j.name).sort());
    expect(jobs.every((j) => j.state === "unknown")).toBe(true);
    const fns = report.rows.filter((r) => r.kind === "function");
    expect(fns.length).toBeGreaterThan(0);
    expect(fns.every((r) => r.state === "no-runner" && r.link === `/nodes/${nodeId}`)).toBe(true);
    expect(report.rows[0]!.drift).toBe(true);
  });

  it("scopes: a viewer elsewhere sees none of these nodes", async () => {
    await bed.rest("POST", "/locations", { body: { name: "elsewhere", type: "campus" } });
    const viewer = await createTestPrincipal(bed.databaseUrl, {
      name: "ops-viewer-elsewhere",
      grants: [{ role: "viewer", location: "elsewhere" }],
    });
    const report = CollectorsReport.parse(
      await (await bed.rest("GET", "/collectors", { token: viewer.token })).json(),
    );
    expect(report.collectors).toEqual([]);
  });
});
