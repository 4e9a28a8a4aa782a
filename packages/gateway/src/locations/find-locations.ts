import { and, asc, eq, gt, ilike, isNull, or } from "drizzle-orm";
import type { ListInput, Location, LocationListItem, RequestMeta } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Database } from "../db";
import { readCursor, toPage, type Page } from "../list";
import { location, locationType } from "../schema";
import { resolveLocation } from "./resolve-location";
import { locationScopeCondition } from "./scope";
import {
  locationColumns,
  locationListColumns,
  toLocation,
  toLocationListItem,
} from "./to-location";

export interface FindLocationsInput extends ListInput {
  /** Only the children of this location (`root` for the roots). */
  parent?: string;
  /** Name, label or path contains this text (case-insensitive). */
  q?: string;
}

/**
 * Locations in the actor's read scope, by path (a tree in reading order), each with its child,
 * system and component counts: one statement per page.
 */
export async function findLocations({
  db,
  actor,
  input,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: FindLocationsInput;
}): Promise<Page<LocationListItem>> {
  const cursor = readCursor(input, 1);
  const parent =
    input.parent === undefined
      ? undefined
      : input.parent === "root"
        ? isNull(location.parentId)
        : eq(location.parentId, (await resolveLocation(db, actor, input.parent)).id);
  const search = input.q
    ? or(
        ilike(location.name, `%${input.q}%`),
        ilike(location.label, `%${input.q}%`),
        ilike(location.path, `%${input.q}%`),
      )
    : undefined;
  const rows = await db
    .select(locationListColumns(actor))
    .from(location)
    .innerJoin(locationType, eq(locationType.id, location.typeId))
    .where(
      and(
        locationScopeCondition(actor, "location:read"),
        parent,
        search,
        cursor ? gt(location.path, String(cursor[0])) : undefined,
      ),
    )
    .orderBy(asc(location.path))
    .limit(input.page_size + 1);
  return toPage(rows, input, (r) => [r.row.path], toLocationListItem);
}

/** One location by reference, within read scope. */
export async function getLocation({
  db,
  actor,
  ref,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  ref: string;
}): Promise<Location> {
  const found = await resolveLocation(db, actor, ref);
  const [row] = await db
    .select(locationColumns)
    .from(location)
    .innerJoin(locationType, eq(locationType.id, location.typeId))
    .where(eq(location.id, found.id));
  return toLocation(row!);
}
