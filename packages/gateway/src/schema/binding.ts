import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { id, instant, jsonb } from "./columns";
import { component } from "./component";
import { location } from "./location";
import { system } from "./system";

/**
 * A tag or a variable bound at one level of the cascade: the platform, a location, a system or a
 * component (an exclusive arc: exactly the column of its level is set). The most specific binding
 * of a key wins when resolving for a target.
 */
export const estateBinding = pgTable(
  "estate_binding",
  {
    id: id(),
    kind: text("kind", { enum: ["tag", "variable"] }).notNull(),
    key: text("key").notNull(),
    // Null for a secret variable, whose value is only in `ciphertext` (AES-256-GCM envelope).
    value: jsonb("value"),
    secret: boolean("secret").notNull().default(false),
    ciphertext: text("ciphertext"),
    level: text("level", { enum: ["platform", "location", "system", "component"] }).notNull(),
    locationId: uuid("location_id").references(() => location.id, { onDelete: "cascade" }),
    systemId: uuid("system_id").references(() => system.id, { onDelete: "cascade" }),
    componentId: uuid("component_id").references(() => component.id, { onDelete: "cascade" }),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    unique("estate_binding_key")
      .on(t.kind, t.key, t.level, t.locationId, t.systemId, t.componentId)
      .nullsNotDistinct(),
    index("estate_binding_location_idx").on(t.locationId),
    index("estate_binding_system_idx").on(t.systemId),
    index("estate_binding_component_idx").on(t.componentId),
    check(
      "estate_binding_secret_check",
      sql`(${t.secret} and ${t.kind} = 'variable' and ${t.value} is null and ${t.ciphertext} is not null)
        or (not ${t.secret} and ${t.value} is not null and ${t.ciphertext} is null)`,
    ),
    check(
      "estate_binding_key_check",
      sql`${t.key} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.key}) <= 100`,
    ),
    check(
      "estate_binding_level_check",
      sql`(${t.level} = 'platform' and ${t.locationId} is null and ${t.systemId} is null and ${t.componentId} is null)
        or (${t.level} = 'location' and ${t.locationId} is not null and ${t.systemId} is null and ${t.componentId} is null)
        or (${t.level} = 'system' and ${t.systemId} is not null and ${t.locationId} is null and ${t.componentId} is null)
        or (${t.level} = 'component' and ${t.componentId} is not null and ${t.locationId} is null and ${t.systemId} is null)`,
    ),
  ],
);
