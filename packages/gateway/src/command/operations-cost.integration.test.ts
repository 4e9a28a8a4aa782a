import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@omniglass/domain";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { unsafeSeedPolledComponents } from "../telemetry/fixtures";
import { createTestDatabase, type TestDatabase } from "../testing";
import { readOperations } from "./operations";

/*
 * What the operations read costs on a large estate: 20,000 polled components on 10 nodes
 * (100,000 desired functions). The summary read (collectors, the brief status) reads no
 * worklists and must stay cheap; the full read (schedules) lists at most 1,000 rows.
 */

const OWNER: Actor = {
  id: "0190f5a0-0000-7000-8000-0000000000a1",
  kind: "service",
  name: "cost-owner",
  grants: [{ grantId: "g", roleName: "owner", permissions: ["*:*"], scope: { kind: "all" } }],
};

describe("readOperations cost", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url });
    for (let i = 0; i < 10; i++)
      await unsafeSeedPolledComponents(handle.db, { name: `cost${i}`, components: 2_000 });
  }, 300_000);
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  const time = async (detail: "full" | "summary") => {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const ops = await readOperations({ db: handle.db, actor: OWNER, detail });
      times.push(performance.now() - started);
      rows = ops.schedules.rows.length;
    }
    times.sort((a, b) => a - b);
    return { median: times[2]!, max: times[4]!, rows };
  };

  it("summary stays cheap; full lists 1,000 of 100,000", { timeout: 200_000 }, async () => {
    const summary = await time("summary");
    const full = await time("full");
    console.log(
      `readOperations at 20,000 components / 100,000 desired functions: summary median ${summary.median.toFixed(0)} ms (max ${summary.max.toFixed(0)}), full median ${full.median.toFixed(0)} ms (max ${full.max.toFixed(0)}), ${full.rows} rows`,
    );
    expect(full.rows).toBe(1_000);
    expect(summary.median).toBeLessThan(250);
  });
});
