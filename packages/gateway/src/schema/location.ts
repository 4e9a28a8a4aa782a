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
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { id, instant } from "./columns";

/** The registry of location kinds (campus, building, floor, room are official and read-only). */
export const locationType = pgTable(
  "location_type",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label").notNull(),
    official: boolean("official").notNull().default(false),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("location_type_name_key").on(t.name),
    check(
      "location_type_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
  ],
);

/**
 * A place in a variable-depth tree. `path` is the dotted path of names from the root
 * (`hq.floor-3.boardroom`), kept by the gateway on create, rename and move; it makes subtree
 * scope a prefix test and lets a reference be a path.
 */
export const location = pgTable(
  "location",
  {
    id: id(),
    parentId: uuid("parent_id").references((): AnyPgColumn => location.id),
    typeId: uuid("type_id")
      .notNull()
      .references(() => locationType.id),
    name: text("name").notNull(),
    label: text("label"),
    path: text("path").notNull(),
    depth: integer("depth").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("location_path_key").on(t.path),
    // Names are unique among siblings, roots included (NULL parents compare equal).
    unique("location_parent_name_key").on(t.parentId, t.name).nullsNotDistinct(),
    index("location_parent_idx").on(t.parentId),
    // Subtree scope is `path = p or path like p || '.%'`: a pattern index serves the prefix.
    index("location_path_pattern_idx").on(t.path.op("text_pattern_ops")),
    check(
      "location_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
  ],
);
