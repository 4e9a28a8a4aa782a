import { and, sql } from "drizzle-orm";
import type { Location, LocationListItem } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { componentScope } from "../components/resolve-component";
import { component, location, locationType, system } from "../schema";
import { systemScope } from "../systems/resolve-system";
import { healthSummaryColumn, toHealthSummary, type RawHealthSummary } from "../health/summary";

/** The columns every location read selects: the row, its type's name and its child count. */
export const locationColumns = {
  row: location,
  type: locationType.name,
  childCount: sql<number>`(select count(*)::int from ${location} as child where child.parent_id = ${location.id})`,
  health: healthSummaryColumn(location.id),
};

export function toLocation(r: {
  row: typeof location.$inferSelect;
  type: string;
  childCount: number;
  health: RawHealthSummary | null;
}): Location {
  return {
    id: r.row.id,
    name: r.row.name,
    label: r.row.label,
    path: r.row.path,
    depth: r.row.depth,
    parentId: r.row.parentId,
    type: r.type,
    childCount: r.childCount,
    health: toHealthSummary(r.health),
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  };
}

/**
 * The list's columns: a location's own columns plus the systems and components placed in it or
 * below that the actor may read, as subqueries of the page's one statement (the estate tree used
 * to ask two count queries per row). Paths hold only `[a-z0-9-.]`, so `like` needs no escaping.
 */
export function locationListColumns(actor: Actor) {
  const below = sql`${location.path} || '.%'`;
  return {
    ...locationColumns,
    systemCount: sql<number>`(select count(*)::int from ${system} where ${and(sql`${system.path} like ${below}`, systemScope(actor, "system:read"))})`,
    componentCount: sql<number>`(select count(*)::int from ${component} where ${and(sql`${component.path} like ${below}`, componentScope(actor, "component:read"))})`,
  };
}

export function toLocationListItem(
  r: Parameters<typeof toLocation>[0] & { systemCount: number; componentCount: number },
): LocationListItem {
  return { ...toLocation(r), systemCount: r.systemCount, componentCount: r.componentCount };
}
