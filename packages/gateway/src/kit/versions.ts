import { sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { OmniglassError } from "@omniglass/domain";

/**
 * Optimistic concurrency: a caller that sends the version it last read is refused (409, naming the
 * `version` field) when the row has moved on since. Omitting it means "whatever is there now".
 */
export function assertFreshVersion(
  what: string,
  expected: number | undefined,
  actual: number,
): void {
  if (expected === undefined || expected === actual) return;
  throw new OmniglassError(
    "CONFLICT",
    `${what} changed since version ${expected} (now ${actual}); read it again.`,
    { fieldErrors: [{ field: "version", message: "stale" }] },
  );
}

/** The columns every change of a versioned row sets: `updated_at = now()`, `version + 1`. */
export function bumpVersion(table: { version: AnyPgColumn }): { updatedAt: SQL; version: SQL } {
  return { updatedAt: sql`now()`, version: sql`${table.version} + 1` };
}
