import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import { ListAlarmsInput } from "@omniglass/contracts";
import { testInfra } from "@omniglass/testing";
import { connectDatabase, type DatabaseHandle } from "../db";
import { loadActor } from "../identity/load-actor";
import { createTestDatabase, createTestPrincipal, type TestDatabase } from "../testing";
import { alarmPageQueries } from "./find-alarms";

/*
 * The alarm list's hot reads stay on their indexes: "resolved recently" (order_by=-resolvedAt,
 * resolvedSince) walks alarm_resolved_idx backwards, whatever number of resolved alarms piled up;
 * the suppressed lane (suppressed=true) reads the partial alarm_suppressed_idx.
 */
describe("the alarm list's plans", () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let owner: Actor;

  beforeAll(async () => {
    const infra = testInfra();
    database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
    handle = connectDatabase({ url: database.url, max: 2 });
    const { id } = await createTestPrincipal(database.url, {
      name: "plan-owner",
      grants: [{ role: "owner" }],
    });
    owner = (await loadActor(handle.db, id))!;
  });
  afterAll(async () => {
    await handle.close();
    await database.drop();
  });

  // EXPLAIN without ANALYZE plans the statement and runs nothing.
  const plan = (q: { getSQL(): SQL }) =>
    handle.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const r = await tx.execute(sql`explain ${q.getSQL()}`);
      return (r.rows as { "QUERY PLAN": string }[]).map((x) => x["QUERY PLAN"]).join("\n");
    });

  it("the resolved lane's page reads alarm_resolved_idx, without sorting", async () => {
    const input = ListAlarmsInput.parse({
      state: "resolved",
      order_by: "-resolvedAt",
      resolvedSince: new Date(Date.now() - 86_400_000).toISOString(),
      page_size: "20",
    });
    const { rows } = await alarmPageQueries({
      db: handle.db,
      actor: owner,
      meta: { requestId: "plan", source: "cli", actor: null, realActor: null, ip: null },
      input,
    });
    const text = await plan(rows);
    expect(text).toContain("alarm_resolved_idx");
    expect(text).not.toMatch(/^\s*(->\s*)?Sort\b/m);
  });

  it("the suppressed lane's page reads alarm_suppressed_idx", async () => {
    const input = ListAlarmsInput.parse({ suppressed: "true", page_size: "50" });
    const { rows } = await alarmPageQueries({
      db: handle.db,
      actor: owner,
      meta: { requestId: "plan", source: "cli", actor: null, realActor: null, ip: null },
      input,
    });
    expect(await plan(rows)).toContain("alarm_suppressed_idx");
  });
});
