import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, instant, jsonb } from "./columns";
import { component } from "./component";
import { location } from "./location";
import { principal } from "./principal";
import { system } from "./system";

/**
 * A maintenance window (DESIGN.md §8, decision 0010): a local start in an IANA zone, an elapsed
 * duration and an optional RRULE, over one scope — a location subtree, a system (its members),
 * a template (by name, any version: platform-level) or one owner (a component). Placed where its
 * scope is: reading or writing it needs `maintenance:*` there. `first_start`/`last_end` bound the
 * series in UTC (last_end null: unbounded) so the suppression query selects candidates in SQL.
 */
export const maintenanceWindow = pgTable(
  "maintenance_window",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label"),
    description: text("description").notNull().default(""),
    scopeKind: text("scope_kind", { enum: ["location", "system", "template", "owner"] }).notNull(),
    scopeLocationId: uuid("scope_location_id").references(() => location.id, {
      onDelete: "cascade",
    }),
    scopeSystemId: uuid("scope_system_id").references(() => system.id, { onDelete: "cascade" }),
    scopeComponentId: uuid("scope_component_id").references(() => component.id, {
      onDelete: "cascade",
    }),
    // A template's name (every version of it).
    scopeTemplate: text("scope_template"),
    // Local wall time `YYYY-MM-DDTHH:mm` in time_zone; never an instant.
    dtstart: text("dtstart").notNull(),
    timeZone: text("time_zone").notNull(),
    duration: text("duration").notNull(),
    rrule: text("rrule"),
    firstStart: instant("first_start").notNull(),
    lastEnd: instant("last_end"),
    enabled: boolean("enabled").notNull().default(true),
    authorId: uuid("author_id").references(() => principal.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("maintenance_window_name_key").on(t.name),
    index("maintenance_window_location_idx").on(t.scopeLocationId),
    index("maintenance_window_system_idx").on(t.scopeSystemId),
    index("maintenance_window_component_idx").on(t.scopeComponentId),
    check(
      "maintenance_window_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check(
      "maintenance_window_scope_check",
      sql`(${t.scopeKind} = 'location' and ${t.scopeLocationId} is not null and num_nonnulls(${t.scopeSystemId}, ${t.scopeComponentId}, ${t.scopeTemplate}) = 0)
        or (${t.scopeKind} = 'system' and ${t.scopeSystemId} is not null and num_nonnulls(${t.scopeLocationId}, ${t.scopeComponentId}, ${t.scopeTemplate}) = 0)
        or (${t.scopeKind} = 'owner' and ${t.scopeComponentId} is not null and num_nonnulls(${t.scopeLocationId}, ${t.scopeSystemId}, ${t.scopeTemplate}) = 0)
        or (${t.scopeKind} = 'template' and ${t.scopeTemplate} is not null and num_nonnulls(${t.scopeLocationId}, ${t.scopeSystemId}, ${t.scopeComponentId}) = 0)`,
    ),
  ],
);

/**
 * A silence (decision 0010): matchers (rule names, severities, templates in `matchers`; the owner
 * subtree as a reference to a location, system or component, so a rename keeps it aimed), who
 * set it and why, and a mandatory expiry. Expiring early sets `expires_at` to that instant and
 * records who. Placed at its owner; without one it is platform-level (scope all).
 * `last_matched_at`: the last time the suppression query matched it (the "idle for a day" signal).
 */
export const silence = pgTable(
  "silence",
  {
    id: id(),
    // { rules?, severities?, templates? } — the owner matcher lives in the owner columns.
    matchers: jsonb("matchers").notNull(),
    ownerKind: text("owner_kind", { enum: ["location", "system", "component"] }),
    ownerLocationId: uuid("owner_location_id").references(() => location.id, {
      onDelete: "cascade",
    }),
    ownerSystemId: uuid("owner_system_id").references(() => system.id, { onDelete: "cascade" }),
    ownerComponentId: uuid("owner_component_id").references(() => component.id, {
      onDelete: "cascade",
    }),
    authorId: uuid("author_id").references(() => principal.id, { onDelete: "set null" }),
    authorName: text("author_name").notNull(),
    reason: text("reason").notNull(),
    startsAt: instant("starts_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    expiredEarlyAt: instant("expired_early_at"),
    expiredEarlyBy: uuid("expired_early_by").references(() => principal.id, {
      onDelete: "set null",
    }),
    lastMatchedAt: instant("last_matched_at"),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("silence_expires_idx").on(t.expiresAt),
    index("silence_location_idx").on(t.ownerLocationId),
    index("silence_system_idx").on(t.ownerSystemId),
    index("silence_component_idx").on(t.ownerComponentId),
    check("silence_expiry_check", sql`${t.expiresAt} > ${t.startsAt}`),
    check(
      "silence_owner_check",
      sql`(${t.ownerKind} is null and num_nonnulls(${t.ownerLocationId}, ${t.ownerSystemId}, ${t.ownerComponentId}) = 0)
        or (${t.ownerKind} = 'location' and ${t.ownerLocationId} is not null and num_nonnulls(${t.ownerSystemId}, ${t.ownerComponentId}) = 0)
        or (${t.ownerKind} = 'system' and ${t.ownerSystemId} is not null and num_nonnulls(${t.ownerLocationId}, ${t.ownerComponentId}) = 0)
        or (${t.ownerKind} = 'component' and ${t.ownerComponentId} is not null and num_nonnulls(${t.ownerLocationId}, ${t.ownerSystemId}) = 0)`,
    ),
  ],
);
