import { Command } from "commander";
import { randomUUID } from "node:crypto";
import { connectDatabase, unsafeSeedLargeEstate } from "@omniglass/gateway";
import { resolveDatabaseUrl } from "../env";

/**
 * `omniglass seed --components N`: a large synthetic estate for benchmarks (campus
 * `bench-<N>`), written in bulk straight into the database. Refuses when that campus exists.
 */
export function seedCommand() {
  return new Command("seed")
    .description(
      "Write a large synthetic estate for benchmarks (campus bench-<N>); refuses if it exists",
    )
    .option("--components <n>", "how many components", "1000")
    .option("--buildings <n>", "buildings to spread them over (default: one per 5,000)")
    .option(
      "--database-url <url>",
      "PostgreSQL URL (default: DATABASE_URL, else the embedded database of npm start)",
    )
    .action(async (options: { components: string; buildings?: string; databaseUrl?: string }) => {
      const url = resolveDatabaseUrl(options.databaseUrl);
      if (!url) {
        console.error(
          "omniglass: no database: pass --database-url, set DATABASE_URL, or run `npm start` first",
        );
        process.exitCode = 2;
        return;
      }
      const components = Number(options.components);
      const buildings = options.buildings === undefined ? undefined : Number(options.buildings);
      if (!Number.isInteger(components) || components < 1) {
        console.error("omniglass: --components must be a positive whole number");
        process.exitCode = 2;
        return;
      }
      if (buildings !== undefined && (!Number.isInteger(buildings) || buildings < 1)) {
        console.error("omniglass: --buildings must be a positive whole number");
        process.exitCode = 2;
        return;
      }
      const { db, close } = connectDatabase({ url, max: 2, applicationName: "omniglass-cli" });
      try {
        const result = await unsafeSeedLargeEstate({
          db,
          components,
          buildings,
          meta: { requestId: randomUUID(), source: "cli", actor: null, realActor: null, ip: null },
        });
        const seconds = result.milliseconds / 1000;
        const rows =
          1 +
          result.buildings +
          result.floors +
          result.rooms +
          result.systems * 6 +
          result.components +
          result.interfaces +
          result.members;
        console.log(
          `seeded ${result.campus}: ${result.buildings} buildings, ${result.floors} floors, ` +
            `${result.rooms} rooms, ${result.systems} systems, ${result.components} components, ` +
            `${result.interfaces} interfaces, ${result.members} memberships`,
        );
        console.log(
          `in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds)} rows/s, ${Math.round(result.components / seconds)} components/s`,
        );
      } catch (error) {
        console.error(`omniglass: ${(error as Error).message}`);
        process.exitCode = 1;
      } finally {
        await close();
      }
    });
}
