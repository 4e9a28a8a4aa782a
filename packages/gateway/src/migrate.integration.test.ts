import { afterAll, describe, expect, it } from "vitest";
import { testInfra } from "@omniglass/testing";
import { connectDatabase } from "./db";
import { unsafeMigrate } from "./migrate";
import { databaseUrl, unsafeEnsureDatabase } from "./admin";
import { dropDatabase } from "./testing";
import { sql } from "drizzle-orm";

describe("unsafeMigrate", () => {
  const infra = testInfra();
  const name = `og_migrate_${process.pid}_${Date.now()}`;

  afterAll(async () => {
    await dropDatabase(infra.postgresServerUrl, name);
  });

  it("applies every migration on an empty database, concurrently, exactly once", async () => {
    const url = await unsafeEnsureDatabase(infra.postgresServerUrl, name);
    const results = await Promise.all([unsafeMigrate(url), unsafeMigrate(url), unsafeMigrate(url)]);
    const totals = results.map((r) => r.total);
    expect(new Set(totals).size).toBe(1);
    expect(totals[0]).toBeGreaterThan(0);
    // One migrator did the work; the two that waited on the lock found nothing left to do.
    expect(results.map((r) => r.applied).sort()).toEqual([0, 0, totals[0]]);

    const { db, close } = connectDatabase({ url });
    try {
      const tables = await db.execute<{ name: string }>(
        sql`select tablename as name from pg_tables where schemaname = 'public'`,
      );
      expect(tables.rows.map((r) => r.name)).toContain("worker");
    } finally {
      await close();
    }
  });

  it("is a no-op the second time", async () => {
    const url = databaseUrl(infra.postgresServerUrl, name);
    const again = await unsafeMigrate(url);
    expect(again.applied).toBe(0);
  });
});
