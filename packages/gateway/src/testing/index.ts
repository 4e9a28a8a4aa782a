import { randomBytes } from "node:crypto";
import { databaseUrl, quoteIdent as quote, withMaintenanceClient as withAdmin } from "../admin";
import { eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { connectDatabase, type Database } from "../db";
import { newSecret } from "../identity/secrets";
import { apiToken, location, principal, role, roleGrant, system } from "../schema";
import { unsafeMigrate } from "../migrate";
import { unsafeSeedRegistries, type OFFICIAL_ROLES } from "../seed";

/** Test-only helpers: a migrated template database, and a fresh copy of it per test file. */

export * from "./db-snapshot";

/** (Re)creates `name`, migrates and seeds it; test databases are then copied from it. */
export async function createTemplateDatabase(serverUrl: string, name: string): Promise<string> {
  await withAdmin(serverUrl, async (client) => {
    await client.query(`drop database if exists ${quote(name)} with (force)`);
    await client.query(`create database ${quote(name)}`);
  });
  const url = databaseUrl(serverUrl, name);
  await unsafeMigrate(url);
  const { db, close } = connectDatabase({ url, max: 1 });
  try {
    await unsafeSeedRegistries(db);
  } finally {
    await close();
  }
  return url;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database copied from the migrated template: isolated, so test files run in parallel. */
export async function createTestDatabase(
  serverUrl: string,
  template: string,
): Promise<TestDatabase> {
  const name = `og_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (client) =>
    client.query(`create database ${quote(name)} template ${quote(template)}`),
  );
  return {
    name,
    url: databaseUrl(serverUrl, name),
    drop: () => dropDatabase(serverUrl, name),
  };
}

/** Drops `name` if it exists, closing its connections. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (client) =>
    client.query(`drop database if exists ${quote(name)} with (force)`),
  );
}

export interface TestGrant {
  role: (typeof OFFICIAL_ROLES)[number]["name"];
  /** A location path; omit (and `system`) for scope all. */
  location?: string;
  /** A system path, for a system-scoped grant. */
  system?: string;
  operator?: "subtree" | "descendants" | "self";
}

/**
 * A principal with the given grants and a working API token, written directly: tests need narrow
 * principals before the principals API exists, and must not depend on the code they test.
 */
export async function createTestPrincipal(
  url: string,
  {
    name,
    kind = "service",
    grants,
  }: { name: string; kind?: "human" | "service"; grants: TestGrant[] },
): Promise<{ id: string; token: string }> {
  const { db, close } = connectDatabase({ url, max: 1 });
  try {
    return await db.transaction(async (tx) => {
      const id = uuidv7();
      await tx.insert(principal).values({ id, kind, name });
      for (const grant of grants) {
        const [r] = await tx.select({ id: role.id }).from(role).where(eq(role.name, grant.role));
        const [l] = grant.location
          ? await tx
              .select({ id: location.id })
              .from(location)
              .where(eq(location.path, grant.location))
          : [];
        const [sys] = grant.system
          ? await tx.select({ id: system.id }).from(system).where(eq(system.path, grant.system))
          : [];
        if (!r || (grant.location && !l) || (grant.system && !sys))
          throw new Error(`test grant ${JSON.stringify(grant)} names nothing`);
        await tx.insert(roleGrant).values({
          id: uuidv7(),
          principalId: id,
          roleId: r.id,
          scopeKind: l ? "location" : sys ? "system" : "all",
          locationId: l?.id ?? null,
          systemId: sys?.id ?? null,
          scopeOperator: grant.operator ?? "subtree",
        });
      }
      const secret = newSecret("og_");
      await tx.insert(apiToken).values({
        id: uuidv7(),
        principalId: id,
        name: "test",
        prefix: secret.display,
        secretHash: secret.hash,
      });
      return { id, token: secret.secret };
    });
  } finally {
    await close();
  }
}

/**
 * A fingerprint of every table of the database (read from information_schema, so a table added
 * later is covered without touching a test): table name → row count and an md5 of its rows in a
 * stable order. `ignore` names volatile columns as `table.column` (a token's last use, say).
 */
export async function unsafeSnapshotTables(
  db: Database,
  { ignore = [] }: { ignore?: readonly string[] } = {},
): Promise<Record<string, string>> {
  const columns = (await db.execute(
    sql`select table_name, column_name from information_schema.columns
        where table_schema = 'public' order by table_name, ordinal_position`,
  )) as unknown as { rows: { table_name: string; column_name: string }[] };
  const byTable = new Map<string, string[]>();
  for (const { table_name, column_name } of columns.rows) {
    if (ignore.includes(`${table_name}.${column_name}`)) continue;
    byTable.set(table_name, [...(byTable.get(table_name) ?? []), column_name]);
  }
  const snapshot: Record<string, string> = {};
  // One table after the other: one client, one query at a time.
  for (const [table, names] of byTable) {
    const row = sql.raw(`row(${names.map((n) => `t."${n}"`).join(", ")})::text`);
    const result = (await db.execute(
      sql`select count(*)::int as n, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as h
          from ${sql.raw(`"${table}"`)} t`,
    )) as unknown as { rows: { n: number; h: string }[] };
    snapshot[table] = `${result.rows[0]!.n}:${result.rows[0]!.h}`;
  }
  return snapshot;
}
