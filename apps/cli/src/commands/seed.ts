import { Command } from "commander";
import { unsafeSeedLargeEstate } from "@omniglass/gateway";
import { cliMeta, databaseUrlOrRefuse, onDatabase, withDatabaseUrl } from "../database";

/**
 * `omniglass seed --components N`: a large synthetic estate for benchmarks (campus
 * `bench-<N>`), written in bulk straight into the database. Refuses when that campus exists.
 */
export function seedCommand() {
  return withDatabaseUrl(
    new Command("seed")
      .description(
        "Write a large synthetic estate for benchmarks (campus bench-<N>); refuses if it exists",
      )
      .option("--components <n>", "how many components", "1000")
      .option("--buildings <n>", "buildings to spread them over (default: one per 5,000)"),
  ).action(async (options: { components: string; buildings?: string; databaseUrl?: string }) => {
    const url = databaseUrlOrRefuse(options.databaseUrl);
    if (!url) return;
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
    await onDatabase(url, 2, async (db) => {
      const result = await unsafeSeedLargeEstate({ db, components, buildings, meta: cliMeta() });
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
    });
  });
}
