import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { connectDatabase, type Database } from "./db";

export const MIGRATIONS_FOLDER = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../migrations",
);

/** A fixed key: concurrent migrators (start script, CLI, test setup) take turns. */
const MIGRATION_LOCK = 72_001_337;

/**
 * Applies the committed migrations that are not applied yet. Safe to run twice and safe to run
 * concurrently: a session advisory lock (the pool has exactly one connection, so the lock and the
 * migration share a session) serialises migrators, and drizzle records what ran.
 */
export async function unsafeMigrate(url: string): Promise<{ applied: number; total: number }> {
  const { db, close } = connectDatabase({ url, max: 1, applicationName: "omniglass-migrate" });
  try {
    await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      const before = await countApplied(db);
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const after = await countApplied(db);
      return { applied: after - before, total: after };
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } finally {
    await close();
  }
}

async function countApplied(db: Database): Promise<number> {
  const table = await db.execute<{ present: boolean }>(
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!table.rows[0]?.present) return 0;
  const applied = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return applied.rows[0]?.n ?? 0;
}
