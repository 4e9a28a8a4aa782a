import { Command } from "commander";
import { unsafeMigrate, unsafeSeedRegistries } from "@omniglass/gateway";
import { databaseUrlOrRefuse, onDatabase, withDatabaseUrl } from "../database";

/** `omniglass migrate`: apply pending migrations; safe to run twice and concurrently. */
export function migrateCommand() {
  return withDatabaseUrl(
    new Command("migrate").description(
      "Apply pending database migrations and seed the official registry rows (idempotent)",
    ),
  ).action(async (options: { databaseUrl?: string }) => {
    const url = databaseUrlOrRefuse(options.databaseUrl);
    if (!url) return;
    const result = await unsafeMigrate(url);
    console.log(`migrations: ${result.applied} applied, ${result.total} in all`);
    await onDatabase(url, 1, async (db) => {
      await unsafeSeedRegistries(db);
      console.log("official registry rows: in place");
    });
  });
}
