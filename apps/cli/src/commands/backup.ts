import path from "node:path";
import { Command } from "commander";
import {
  backupEmbeddedPostgres,
  REPO_ROOT,
  restoreEmbeddedPostgres,
  SECRET_KEY_REMINDER,
} from "@omniglass/infra";

const DEFAULT_DATA_DIR = path.join(REPO_ROOT, ".data", "postgres");
const DATA_DIR_HELP = "the embedded PostgreSQL's data directory (default: .data/postgres)";

/**
 * `omniglass backup <file>` and `omniglass restore <file>`: the embedded database of `npm start`
 * (a consistent physical copy; the server may be running for a backup and must be stopped for a
 * restore). An external PostgreSQL is backed up with its own tools (docs/guides/deploy.md).
 */
export function backupCommands(): Command[] {
  const backup = new Command("backup")
    .description(
      "Write a consistent backup of the embedded database to <file> (tar.gz; npm start may be running)",
    )
    .argument("<file>", "where to write the backup")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (file: string, options: { dataDir?: string }) => {
      try {
        const result = await backupEmbeddedPostgres({
          dataDir: path.resolve(options.dataDir ?? DEFAULT_DATA_DIR),
          file,
        });
        console.log(
          `backup written: ${path.resolve(file)} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, PostgreSQL ${result.postgresVersion}, ${result.mode})`,
        );
        console.log(SECRET_KEY_REMINDER);
      } catch (error) {
        console.error(`omniglass: backup failed: ${(error as Error).message}`);
        process.exitCode = 1;
      }
    });
  const restore = new Command("restore")
    .description(
      "Restore the embedded database from a backup made by `omniglass backup` (stop npm start first)",
    )
    .argument("<file>", "the backup to restore")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option(
      "--force",
      "move a non-empty data directory aside (kept as postgres.before-restore-<time>)",
    )
    .action(async (file: string, options: { dataDir?: string; force?: boolean }) => {
      try {
        const result = await restoreEmbeddedPostgres({
          dataDir: path.resolve(options.dataDir ?? DEFAULT_DATA_DIR),
          file,
          force: options.force === true,
        });
        console.log(
          `restored the backup of ${result.createdAt} (PostgreSQL ${result.postgresVersion}); the next npm start replays it to that point`,
        );
        if (result.movedAside)
          console.log(`the previous data directory is kept in ${result.movedAside}`);
        console.log(SECRET_KEY_REMINDER);
      } catch (error) {
        console.error(`omniglass: restore failed: ${(error as Error).message}`);
        process.exitCode = 1;
      }
    });
  return [backup, restore];
}
