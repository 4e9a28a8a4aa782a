import { and, eq, inArray, like, notLike, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { locationScope, type Actor } from "@omniglass/domain";
import { location, systemMember } from "../schema";

/** Escapes LIKE wildcards in a path (names cannot hold them today; paths are data all the same). */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The one reviewed scope helper: the SQL condition under which `location` rows are within the
 * scope of `capability` for `actor`. `undefined` means everywhere; no grant means nowhere.
 * (System grants reach systems and their components, not locations.)
 */
export function locationScopeCondition(
  actor: Actor,
  capability: string,
  column: AnyPgColumn = location.path,
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

/**
 * The same rule for things placed in a location (systems, components), tested on their own path
 * `<location path>.<name>`, which the path indexes serve: placed in or below L is `L.%`, strictly
 * below L is `L.%.%`, in L itself is `L.%` but not `L.%.%` (names hold no dots). A system grant
 * adds that system (`systemId`), and the components serving it (`componentId`) for the
 * capabilities it carries to members (`carriesToMembers`: reads and field updates, never placement).
 */
export function placedScopeCondition(
  actor: Actor,
  capability: string,
  target: { path: AnyPgColumn; systemId?: AnyPgColumn; componentId?: AnyPgColumn },
): SQL | undefined {
  const scope = locationScope(actor, capability);
  if (scope.kind === "all") return undefined;
  const conditions: SQL[] = scope.rules.map(({ path, operator }) => {
    const inOrBelow = like(target.path, `${escapeLike(path)}.%`);
    const strictlyBelow = like(target.path, `${escapeLike(path)}.%.%`);
    if (operator === "descendants") return strictlyBelow;
    if (operator === "self")
      return and(inOrBelow, notLike(target.path, `${escapeLike(path)}.%.%`))!;
    return inOrBelow;
  });
  const systemIds = scope.systems.map((s) => s.id);
  if (systemIds.length > 0 && target.systemId) conditions.push(inArray(target.systemId, systemIds));
  if (systemIds.length > 0 && target.componentId && scope.membersToo) {
    conditions.push(
      sql`exists (select 1 from ${systemMember} where ${systemMember.componentId} = ${target.componentId} and ${inArray(systemMember.systemId, systemIds)})`,
    );
  }
  if (conditions.length === 0) return sql`false`;
  return or(...conditions);
}

export function within(...conditions: (SQL | undefined)[]): SQL | undefined {
  return and(...conditions);
}
