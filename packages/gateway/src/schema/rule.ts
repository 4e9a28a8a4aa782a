import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { template } from "./catalog";
import { id, instant } from "./columns";
import { component } from "./component";
import { location } from "./location";
import { system, systemType } from "./system";

/**
 * An event rule (DESIGN.md §8): CEL `fire` and optional `clear` over one owner's current values,
 * a sustain period, a severity and a scope. `origin = template` rows are a template version's
 * declared rules, materialised at start and read-only (like other official rows); their scope is
 * the components pinned to that version. Custom names are unique among custom rules; a template
 * rule's name is unique within its template version.
 */
export const eventRule = pgTable(
  "event_rule",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label"),
    description: text("description").notNull().default(""),
    severity: text("severity", { enum: ["info", "warning", "critical"] }).notNull(),
    fire: text("fire").notNull(),
    clear: text("clear"),
    sustainSeconds: integer("sustain_seconds").notNull().default(0),
    // all | template | system-type | location | owner | system, with the one reference it needs.
    scopeKind: text("scope_kind", {
      enum: ["all", "template", "system-type", "location", "owner", "system"],
    }).notNull(),
    scopeTemplateId: uuid("scope_template_id").references(() => template.id, {
      onDelete: "cascade",
    }),
    scopeSystemTypeId: uuid("scope_system_type_id").references(() => systemType.id, {
      onDelete: "cascade",
    }),
    scopeLocationId: uuid("scope_location_id").references(() => location.id, {
      onDelete: "cascade",
    }),
    scopeComponentId: uuid("scope_component_id").references(() => component.id, {
      onDelete: "cascade",
    }),
    // scope `system`: one system (a system rule judging just that system).
    scopeSystemId: uuid("scope_system_id").references(() => system.id, { onDelete: "cascade" }),
    // What it judges: components; nodes for the built-in collector-down rule; systems (rules over
    // roles and members, judged where system health is judged).
    ownerKind: text("owner_kind", { enum: ["component", "node", "system"] })
      .notNull()
      .default("component"),
    origin: text("origin", { enum: ["custom", "template", "builtin"] }).notNull(),
    // For template rules: the template version that declares it and the rule's name there.
    templateId: uuid("template_id").references(() => template.id, { onDelete: "cascade" }),
    enabled: boolean("enabled").notNull().default(true),
    flapWindowSeconds: integer("flap_window_seconds").notNull().default(600),
    flapThreshold: integer("flap_threshold").notNull().default(4),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("event_rule_custom_name_key")
      .on(t.name)
      .where(sql`${t.templateId} is null`),
    uniqueIndex("event_rule_template_name_key")
      .on(t.templateId, t.name)
      .where(sql`${t.templateId} is not null`),
    index("event_rule_scope_template_idx").on(t.scopeTemplateId),
    index("event_rule_severity_idx").on(t.severity),
    check(
      "event_rule_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check("event_rule_sustain_check", sql`${t.sustainSeconds} >= 0`),
    check("event_rule_flap_check", sql`${t.flapWindowSeconds} > 0 and ${t.flapThreshold} >= 2`),
    check(
      "event_rule_origin_check",
      sql`(${t.origin} = 'template') = (${t.templateId} is not null)`,
    ),
    check(
      "event_rule_scope_check",
      sql`(${t.scopeKind} = 'all' and num_nonnulls(${t.scopeTemplateId}, ${t.scopeSystemTypeId}, ${t.scopeLocationId}, ${t.scopeComponentId}, ${t.scopeSystemId}) = 0)
        or (${t.scopeKind} = 'template' and ${t.scopeTemplateId} is not null and num_nonnulls(${t.scopeSystemTypeId}, ${t.scopeLocationId}, ${t.scopeComponentId}, ${t.scopeSystemId}) = 0)
        or (${t.scopeKind} = 'system-type' and ${t.scopeSystemTypeId} is not null and num_nonnulls(${t.scopeTemplateId}, ${t.scopeLocationId}, ${t.scopeComponentId}, ${t.scopeSystemId}) = 0)
        or (${t.scopeKind} = 'location' and ${t.scopeLocationId} is not null and num_nonnulls(${t.scopeTemplateId}, ${t.scopeSystemTypeId}, ${t.scopeComponentId}, ${t.scopeSystemId}) = 0)
        or (${t.scopeKind} = 'owner' and ${t.scopeComponentId} is not null and num_nonnulls(${t.scopeTemplateId}, ${t.scopeSystemTypeId}, ${t.scopeLocationId}, ${t.scopeSystemId}) = 0)
        or (${t.scopeKind} = 'system' and ${t.scopeSystemId} is not null and num_nonnulls(${t.scopeTemplateId}, ${t.scopeSystemTypeId}, ${t.scopeLocationId}, ${t.scopeComponentId}) = 0)`,
    ),
    // A system rule judges systems: its scope is all, a system type, a location subtree or one system.
    check(
      "event_rule_owner_scope_check",
      sql`case when ${t.ownerKind} = 'system' then ${t.scopeKind} in ('all', 'system-type', 'location', 'system')
        else ${t.scopeKind} <> 'system' end`,
    ),
  ],
);

/**
 * The episode of one (rule, owner component, instance): where the pure state machine
 * (`@omniglass/domain` step/elapse) stands. `due_at`: when a pending episode's sustain ends.
 * Written by the transaction that evaluated it, under the row lock, so two writers step it in turn.
 */
export const ruleEpisode = pgTable(
  "rule_episode",
  {
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => eventRule.id, { onDelete: "cascade" }),
    componentId: uuid("component_id")
      .notNull()
      .references(() => component.id, { onDelete: "cascade" }),
    instance: text("instance").notNull().default(""),
    phase: text("phase", { enum: ["ok", "pending", "firing"] }).notNull(),
    since: instant("since").notNull(),
    dueAt: instant("due_at"),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "rule_episode_pkey", columns: [t.ruleId, t.componentId, t.instance] }),
    index("rule_episode_due_idx")
      .on(t.dueAt)
      .where(sql`${t.phase} = 'pending'`),
  ],
);
