import { Command } from "commander";
import { connectDatabase, unsafeMigrate, unsafeSeedRegistries } from "@omniglass/gateway";
import { resolveDatabaseUrl } from "../env";

/** `omniglass migrate`: apply pending migrations; safe to run twice and concurrently. */
export function migrateCommand() {
  return new Command("migrate")
    .description(
      "Apply pending database migrations and seed the official registry rows (idempotent)",
    )
    .option(
      "--database-url <url>",
      "PostgreSQL URL (default: DATABASE_URL, else the embedded database of npm start)",
    )
    .action(async (options: { databaseUrl?: string }) => {
      const url = resolveDatabaseUrl(options.databaseUrl);
      if (!url) {
        console.error(
          "omniglass: no database: pass --database-url, set DATABASE_URL, or run `npm start` first",
        );
        process.exitCode = 2;
        return;
      }
      const result = await unsafeMigrate(url);
      console.log(`migrations: ${result.applied} applied, ${result.total} in all`);
      const { db, close } = connectDatabase({ url, max: 1, applicationName: "omniglass-cli" });
      try {
        await unsafeSeedRegistries(db);
        console.log("official registry rows: in place");
      } finally {
        await close();
      }
    });
}
