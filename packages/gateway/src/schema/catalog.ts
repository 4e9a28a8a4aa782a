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
import { id, instant, jsonb } from "./columns";
import { principal } from "./principal";

/**
 * The signal catalog: one namespace for both lanes (a unique name). A metric is a number that
 * aggregates (unit, precision); a property is a value validated by its JSON Schema.
 */
export const signal = pgTable(
  "signal",
  {
    id: id(),
    name: text("name").notNull(),
    lane: text("lane", { enum: ["metric", "property"] }).notNull(),
    label: text("label").notNull(),
    description: text("description").notNull().default(""),
    unit: text("unit"),
    precision: integer("precision"),
    valueType: text("value_type", {
      enum: ["number", "string", "boolean", "integer", "json"],
    }).notNull(),
    schema: jsonb("schema"),
    official: boolean("official").notNull().default(false),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("signal_name_key").on(t.name),
    check(
      "signal_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    // A metric is a number with a unit; a property carries a value type and maybe a schema.
    check(
      "signal_lane_check",
      sql`(${t.lane} = 'metric' and ${t.valueType} = 'number' and ${t.schema} is null)
        or (${t.lane} = 'property' and ${t.valueType} <> 'number' and ${t.precision} is null)`,
    ),
  ],
);

/**
 * One published version of a template: immutable (no verb changes it; a trigger refuses updates).
 * `document` is the validated template document; the columns beside it are copies for queries.
 */
export const template = pgTable(
  "template",
  {
    id: id(),
    name: text("name").notNull(),
    version: integer("version").notNull(),
    label: text("label").notNull(),
    kind: text("kind").notNull(),
    vendor: text("vendor"),
    model: text("model"),
    description: text("description").notNull().default(""),
    document: jsonb("document").notNull(),
    official: boolean("official").notNull().default(false),
    createdAt: instant("created_at").notNull().defaultNow(),
    createdBy: uuid("created_by").references(() => principal.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("template_name_version_key").on(t.name, t.version),
    index("template_kind_idx").on(t.kind),
    check(
      "template_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check("template_version_check", sql`${t.version} >= 1`),
  ],
);

/** Which signals each template version produces: a signal in use cannot be deleted. */
export const templateSignal = pgTable(
  "template_signal",
  {
    templateId: uuid("template_id")
      .notNull()
      .references(() => template.id, { onDelete: "cascade" }),
    signalId: uuid("signal_id")
      .notNull()
      .references(() => signal.id),
  },
  (t) => [
    primaryKey({ name: "template_signal_pkey", columns: [t.templateId, t.signalId] }),
    index("template_signal_signal_idx").on(t.signalId),
  ],
);
