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
 * Its scope is its location's: a grant on a building covers the systems placed in it. `path` is
 * its location's path, a dot and its name, kept by the gateway like the location paths.
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
    path: text("path").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("system_location_name_key").on(t.locationId, t.name),
    index("system_location_idx").on(t.locationId),
    uniqueIndex("system_path_key").on(t.path),
    index("system_path_pattern_idx").on(t.path.op("text_pattern_ops")),
    check(
      "system_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
  ],
);

/**
 * A slot a system needs filled: which component kinds may fill it, how many must work (quorum)
 * and what the system suffers when fewer do (impact). Two microphones with quorum 1 are redundant.
 */
export const systemRole = pgTable(
  "system_role",
  {
    id: id(),
    systemId: uuid("system_id")
      .notNull()
      .references(() => system.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    label: text("label"),
    accepts: text("accepts").array().notNull(),
    quorum: integer("quorum").notNull().default(1),
    impact: text("impact", { enum: ["outage", "degraded", "none"] }).notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("system_role_system_name_key").on(t.systemId, t.name),
    check(
      "system_role_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check("system_role_quorum_check", sql`${t.quorum} >= 0`),
    check("system_role_impact_check", sql`${t.impact} in ('outage', 'degraded', 'none')`),
  ],
);
