import { randomBytes } from "node:crypto";
import { databaseUrl, quoteIdent as quote, withMaintenanceClient as withAdmin } from "../admin";
import { connectDatabase } from "../db";
import { unsafeMigrate } from "../migrate";
import { unsafeSeedRegistries } from "../seed";

/** Test-only helpers: a migrated template database, and a fresh copy of it per test file. */

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
