import { and, eq, like, or, sql, type SQL } from "drizzle-orm";
import { locationScope, type Actor } from "@omniglass/domain";
import { location } from "../schema";

/** Escapes LIKE wildcards in a path (names cannot hold them today; paths are data all the same). */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The one reviewed scope helper: the SQL condition under which `location` rows are within the
 * scope of `capability` for `actor`. `undefined` means everywhere; no grant means nowhere.
 */
export function locationScopeCondition(
  actor: Actor,
  capability: string,
  column = location.path,
): SQL | undefined {
  const scope = locationScope(actor, capability);
  if (scope.kind === "all") return undefined;
  if (scope.rules.length === 0) return sql`false`;
  return or(
    ...scope.rules.map(({ path, operator }) => {
      const below = like(column, `${escapeLike(path)}.%`);
      if (operator === "self") return eq(column, path);
      if (operator === "descendants") return below;
      return or(eq(column, path), below)!;
    }),
  );
}

export function within(...conditions: (SQL | undefined)[]): SQL | undefined {
  return and(...conditions);
}
