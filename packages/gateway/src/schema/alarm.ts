import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { id, instant, jsonb } from "./columns";
import { component } from "./component";
import { location } from "./location";
import { node } from "./node";
import { principal } from "./principal";
import { eventRule } from "./rule";
import { system } from "./system";
import { webhookEndpoint } from "./act";

/**
 * The stateful incident a rule's fire opens (DESIGN.md §8). Separate facts, never one status:
 * lifecycle (`open` → `resolved`, by the clear sample or by someone with a reason), the
 * acknowledgement (who, when, comment, optional expiry; it never opens or resolves anything) and
 * flapping. The owner is an exclusive arc like `series` (exactly one of the four ids). One open
 * alarm per (rule, owner, instance): the partial unique index, which concurrent writers meet.
 */
export const alarm = pgTable(
  "alarm",
  {
    id: id(),
    ruleId: uuid("rule_id")
      .notNull()
      .references(() => eventRule.id, { onDelete: "cascade" }),
    ownerKind: text("owner_kind", {
      enum: ["component", "system", "location", "node", "endpoint"],
    }).notNull(),
    componentId: uuid("component_id").references(() => component.id, { onDelete: "cascade" }),
    systemId: uuid("system_id").references(() => system.id, { onDelete: "cascade" }),
    locationId: uuid("location_id").references(() => location.id, { onDelete: "cascade" }),
    nodeId: uuid("node_id").references(() => node.id, { onDelete: "cascade" }),
    // A webhook endpoint failing for days (the built-in endpoint-failing rule).
    endpointId: uuid("endpoint_id").references(() => webhookEndpoint.id, { onDelete: "cascade" }),
    instance: text("instance").notNull().default(""),
    severity: text("severity", { enum: ["info", "warning", "critical"] }).notNull(),
    summary: text("summary").notNull(),
    lifecycle: text("lifecycle", { enum: ["open", "resolved"] }).notNull(),
    openedAt: instant("opened_at").notNull(),
    resolvedAt: instant("resolved_at"),
    // null with resolved_at set: resolved by the clear sample.
    resolvedBy: uuid("resolved_by").references(() => principal.id, { onDelete: "set null" }),
    resolveReason: text("resolve_reason"),
    acknowledgedBy: uuid("acknowledged_by").references(() => principal.id, {
      onDelete: "set null",
    }),
    acknowledgedAt: instant("acknowledged_at"),
    ackComment: text("ack_comment"),
    ackExpiresAt: instant("ack_expires_at"),
    flapping: boolean("flapping").notNull().default(false),
    // Open/resolve transitions of this alarm (a reopen adds two: the resolve and the re-fire).
    transitions: integer("transitions").notNull().default(1),
    firedValue: jsonb("fired_value"),
    firedSampleAt: instant("fired_sample_at"),
    // The alarm's own timeline counter: alarm_event.seq is 1, 2, 3… per alarm.
    seq: integer("seq").notNull().default(1),
    // Suppression (DESIGN.md §8, never hides): whether its transitions notify now, and why not —
    // `{ since, windows: [{id, name, label}], silences: [{id, reason, author, expiresAt}],
    // root: {alarmId, owner: {kind, path}, rule, links} | null }` while suppressed, else null.
    // root_alarm_id: the open alarm it depends on (dependency suppression), for the re-evaluation
    // when that root clears and for storm summaries.
    suppressed: boolean("suppressed").notNull().default(false),
    suppression: jsonb("suppression"),
    rootAlarmId: uuid("root_alarm_id").references((): AnyPgColumn => alarm.id, {
      onDelete: "set null",
    }),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("alarm_one_open_key")
      .on(
        t.ruleId,
        t.ownerKind,
        sql`coalesce(${t.componentId}, ${t.systemId}, ${t.locationId}, ${t.nodeId}, ${t.endpointId})`,
        t.instance,
      )
      .where(sql`${t.lifecycle} = 'open'`),
    index("alarm_component_idx").on(t.componentId),
    index("alarm_system_idx").on(t.systemId),
    index("alarm_location_idx").on(t.locationId),
    index("alarm_node_idx").on(t.nodeId),
    index("alarm_endpoint_idx").on(t.endpointId),
    index("alarm_root_idx")
      .on(t.rootAlarmId)
      .where(sql`${t.rootAlarmId} is not null`),
    // The queue's "suppressed" lane: open suppressed alarms, newest first.
    index("alarm_suppressed_idx")
      .on(t.openedAt, t.id)
      .where(sql`${t.lifecycle} = 'open' and ${t.suppressed}`),
    index("alarm_rule_idx").on(t.ruleId, t.openedAt),
    index("alarm_lifecycle_opened_idx").on(t.lifecycle, t.openedAt),
    // "Resolved recently" (order_by=-resolvedAt, resolvedSince): resolved alarms only grow, so the
    // lane walks this index backwards from now instead of sorting every resolved alarm.
    index("alarm_resolved_idx")
      .on(t.resolvedAt, t.id)
      .where(sql`${t.resolvedAt} is not null`),
    check(
      "alarm_owner_check",
      sql`(${t.ownerKind} = 'component' and ${t.componentId} is not null and num_nonnulls(${t.systemId}, ${t.locationId}, ${t.nodeId}, ${t.endpointId}) = 0)
        or (${t.ownerKind} = 'system' and ${t.systemId} is not null and num_nonnulls(${t.componentId}, ${t.locationId}, ${t.nodeId}, ${t.endpointId}) = 0)
        or (${t.ownerKind} = 'location' and ${t.locationId} is not null and num_nonnulls(${t.componentId}, ${t.systemId}, ${t.nodeId}, ${t.endpointId}) = 0)
        or (${t.ownerKind} = 'node' and ${t.nodeId} is not null and num_nonnulls(${t.componentId}, ${t.systemId}, ${t.locationId}, ${t.endpointId}) = 0)
        or (${t.ownerKind} = 'endpoint' and ${t.endpointId} is not null and num_nonnulls(${t.componentId}, ${t.systemId}, ${t.locationId}, ${t.nodeId}) = 0)`,
    ),
    check("alarm_suppression_check", sql`${t.suppressed} = (${t.suppression} is not null)`),
    check("alarm_lifecycle_check", sql`(${t.lifecycle} = 'open') = (${t.resolvedAt} is null)`),
  ],
);

/**
 * An alarm's timeline, append-only: fired (with the value and the sample's time), acknowledged,
 * unacknowledged, flapping, resolved (by the clear sample, `by` null, or by whom, with the
 * reason), reopened, suppressed / unsuppressed (an open alarm whose notifications became held or
 * released: a window began or ended, a silence, its root; `value` holds the reasons). `seq` orders one alarm's events.
 */
export const alarmEvent = pgTable(
  "alarm_event",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    alarmId: uuid("alarm_id")
      .notNull()
      .references(() => alarm.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    kind: text("kind", {
      enum: [
        "fired",
        "acknowledged",
        "unacknowledged",
        "flapping",
        "resolved",
        "reopened",
        "suppressed",
        "unsuppressed",
      ],
    }).notNull(),
    at: instant("at").notNull(),
    by: uuid("by").references(() => principal.id, { onDelete: "set null" }),
    value: jsonb("value"),
    sampleAt: instant("sample_at"),
    comment: text("comment"),
    recordedAt: instant("recorded_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("alarm_event_alarm_seq_key").on(t.alarmId, t.seq)],
);
