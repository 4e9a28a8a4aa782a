import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { connectDatabase, type Database } from "@omniglass/gateway";
import { resolveDatabaseUrl } from "./env";

/**
 * What the commands that work on the database directly share (migrate, bootstrap, seed): the
 * `--database-url` flag, the refusal without one (exit 2), a short-lived pool and the request
 * metadata of a CLI write.
 */

export function withDatabaseUrl(command: Command): Command {
  return command.option(
    "--database-url <url>",
    "PostgreSQL URL (default: DATABASE_URL, else the embedded database of npm start)",
  );
}

/** The database URL, or null after saying how to give one (and setting exit code 2). */
export function databaseUrlOrRefuse(flag?: string): string | null {
  const url = resolveDatabaseUrl(flag);
  if (!url) {
    console.error(
      "omniglass: no database: pass --database-url, set DATABASE_URL, or run `npm start` first",
    );
    process.exitCode = 2;
  }
  return url;
}

/** Runs `body` on a pool of `max` connections; an error is printed and exits 1. */
export async function onDatabase(
  url: string,
  max: number,
  body: (db: Database) => Promise<void>,
): Promise<void> {
  const { db, close } = connectDatabase({ url, max, applicationName: "omniglass-cli" });
  try {
    await body(db);
  } catch (error) {
    console.error(`omniglass: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await close();
  }
}

/** The request metadata of a write made from the command line (no actor: an operator's shell). */
export const cliMeta = () => ({
  requestId: randomUUID(),
  source: "cli" as const,
  actor: null,
  realActor: null,
  ip: null,
});
