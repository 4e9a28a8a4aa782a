import { sql } from "drizzle-orm";
import type { Location } from "@omniglass/contracts";
import { location, locationType } from "../schema";

/** The columns every location read selects: the row, its type's name and its child count. */
export const locationColumns = {
  row: location,
  type: locationType.name,
  childCount: sql<number>`(select count(*)::int from ${location} as child where child.parent_id = ${location.id})`,
};

export function toLocation(r: {
  row: typeof location.$inferSelect;
  type: string;
  childCount: number;
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
    version: r.row.version,
    createdAt: r.row.createdAt.toISOString(),
    updatedAt: r.row.updatedAt.toISOString(),
  };
}
