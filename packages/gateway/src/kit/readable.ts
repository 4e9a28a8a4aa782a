import { sql, type SQL } from "drizzle-orm";

/**
 * A select column telling whether the row is within a scope condition (`undefined` = everywhere),
 * so a dependents list can name what the caller may read and only count the rest.
 */
export function readableColumn(scope: SQL | undefined): SQL<boolean> {
  return scope ? sql<boolean>`coalesce((${scope}), false)` : sql<boolean>`true`;
}
