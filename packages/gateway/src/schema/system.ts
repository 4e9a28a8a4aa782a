import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, instant } from "./columns";
import { location } from "./location";

/** The registry of system kinds (meeting room, classroom, video wall, …); official rows are read-only. */
export const systemType = pgTable(
  "system_type",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label").notNull(),
    official: boolean("official").notNull().default(false),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("system_type_name_key").on(t.name),
    check(
      "system_type_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
  ],
);

/**
 * A set of components that does one job (a meeting room's AV, a video wall), placed in a location.
 * Its scope is its location's: a grant on a building covers the systems placed in it.
 */
export const system = pgTable(
  "system",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label"),
    typeId: uuid("type_id")
      .notNull()
      .references(() => systemType.id),
    locationId: uuid("location_id")
      .notNull()
      .references(() => location.id),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("system_location_name_key").on(t.locationId, t.name),
    index("system_location_idx").on(t.locationId),
    check(
      "system_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
  ],
);
