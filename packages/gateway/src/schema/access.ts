import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, instant } from "./columns";
import { location } from "./location";
import { principal } from "./principal";
import { system } from "./system";

/** A named set of permission patterns `<resource>:<action>` (`*` wildcards). Official rows are read-only. */
export const role = pgTable(
  "role",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label").notNull(),
    description: text("description").notNull().default(""),
    permissions: text("permissions").array().notNull(),
    official: boolean("official").notNull().default(false),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("role_name_key").on(t.name)],
);

/**
 * A role given to a principal on a scope: everything (`all`), a location with an operator
 * (`subtree` = it and below, `descendants` = only below, `self` = only it), or one system (it and
 * the components that serve it).
 */
export const roleGrant = pgTable(
  "role_grant",
  {
    id: id(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principal.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => role.id),
    scopeKind: text("scope_kind", { enum: ["all", "location", "system"] }).notNull(),
    locationId: uuid("location_id").references(() => location.id),
    systemId: uuid("system_id").references(() => system.id),
    scopeOperator: text("scope_operator", { enum: ["subtree", "descendants", "self"] })
      .notNull()
      .default("subtree"),
    createdAt: instant("created_at").notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => principal.id),
  },
  (t) => [
    index("role_grant_principal_idx").on(t.principalId),
    index("role_grant_system_idx").on(t.systemId),
    // Exactly the column of the scope's kind is set: none for all, a location, or a system.
    check(
      "role_grant_scope_check",
      sql`(${t.scopeKind} = 'all' and ${t.locationId} is null and ${t.systemId} is null)
        or (${t.scopeKind} = 'location' and ${t.locationId} is not null and ${t.systemId} is null)
        or (${t.scopeKind} = 'system' and ${t.systemId} is not null and ${t.locationId} is null)`,
    ),
    check(
      "role_grant_operator_check",
      sql`${t.scopeOperator} in ('subtree', 'descendants', 'self')`,
    ),
  ],
);
