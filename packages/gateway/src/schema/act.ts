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
} from "drizzle-orm/pg-core";
import { alarm } from "./alarm";
import { id, instant, jsonb } from "./columns";
import { location } from "./location";
import { system } from "./system";

/**
 * A webhook endpoint (DESIGN.md §8, Standard Webhooks): where deliveries are POSTed. The secret
 * (`whsec_…`) is stored only sealed (AES-256-GCM under OMNIGLASS_SECRET_KEY, context = the
 * endpoint's id) and never read back by any API; rotating returns the new one once. A 410 from
 * the receiver disables it (`disabled_reason` says so). Placed in a location (its scope) or at
 * the platform (null). `throttled_until`: the receiver asked to slow down (429/502/504,
 * Retry-After): nothing is sent to it before then. `failing_since`: the first failed attempt
 * since its last success.
 */
export const webhookEndpoint = pgTable(
  "webhook_endpoint",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label"),
    url: text("url").notNull(),
    // Sealed envelope of the whsec_ secret; never returned.
    secretCiphertext: text("secret_ciphertext").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    locationId: uuid("location_id").references(() => location.id, { onDelete: "restrict" }),
    failingSince: instant("failing_since"),
    throttledUntil: instant("throttled_until"),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_endpoint_name_key").on(t.name),
    index("webhook_endpoint_location_idx").on(t.locationId),
    check(
      "webhook_endpoint_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check("webhook_endpoint_url_check", sql`${t.url} ~ '^https?://'`),
  ],
);

/**
 * An action rule: which alarm transitions go to which endpoints. `matchers` holds
 * `{ severities?, ruleIds?, kinds?, suppressed?: boolean, acknowledged?: boolean }` (absent: any);
 * the scope is a location subtree, a system (its members), a template (by name, any version) or
 * all. Placed at its scope's location (a system's: the system's location), platform for all and
 * template.
 */
export const actionRule = pgTable(
  "action_rule",
  {
    id: id(),
    name: text("name").notNull(),
    label: text("label"),
    enabled: boolean("enabled").notNull().default(true),
    matchers: jsonb("matchers").notNull(),
    scopeKind: text("scope_kind", { enum: ["all", "location", "system", "template"] }).notNull(),
    scopeLocationId: uuid("scope_location_id").references(() => location.id, {
      onDelete: "cascade",
    }),
    scopeSystemId: uuid("scope_system_id").references(() => system.id, { onDelete: "cascade" }),
    scopeTemplate: text("scope_template"),
    // The endpoints it delivers to (checked to exist on write; a deleted one is skipped).
    endpointIds: uuid("endpoint_ids").array().notNull(),
    version: integer("version").notNull().default(1),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("action_rule_name_key").on(t.name),
    check(
      "action_rule_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check(
      "action_rule_scope_check",
      sql`(${t.scopeKind} = 'all' and num_nonnulls(${t.scopeLocationId}, ${t.scopeSystemId}, ${t.scopeTemplate}) = 0)
        or (${t.scopeKind} = 'location' and ${t.scopeLocationId} is not null and num_nonnulls(${t.scopeSystemId}, ${t.scopeTemplate}) = 0)
        or (${t.scopeKind} = 'system' and ${t.scopeSystemId} is not null and num_nonnulls(${t.scopeLocationId}, ${t.scopeTemplate}) = 0)
        or (${t.scopeKind} = 'template' and ${t.scopeTemplate} is not null and num_nonnulls(${t.scopeLocationId}, ${t.scopeSystemId}) = 0)`,
    ),
  ],
);

/**
 * The transactional outbox: one row per alarm timeline event, written by a trigger on
 * `alarm_event` in the transition's own transaction (no dual write: every writer of the timeline
 * — rules, the clock, acknowledge, resolve — is covered without calling anything). `payload`:
 * the alarm's state as of that event (`{ alarm, event, rule, path, ackName }`). The relay
 * publishes unpublished rows (msgId = id) and stamps `published_at`.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    alarmId: uuid("alarm_id").notNull(),
    alarmSeq: integer("alarm_seq").notNull(),
    kind: text("kind").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    publishedAt: instant("published_at"),
    // Set by the actions consumer in the transaction that records the transition's deliveries:
    // until then a later seq of the same alarm is not delivered (two consumers may route seq 2
    // before seq 1).
    routedAt: instant("routed_at"),
  },
  (t) => [
    index("outbox_unpublished_idx")
      .on(t.id)
      .where(sql`${t.publishedAt} is null`),
    index("outbox_unrouted_idx")
      .on(t.alarmId, t.alarmSeq)
      .where(sql`${t.routedAt} is null`),
    index("outbox_created_idx").on(t.createdAt),
  ],
);

/**
 * One webhook message to one endpoint: `id` is the stable `webhook-id` (`msg_…`) of every attempt.
 * One per (endpoint, alarm, seq) — the consumer is idempotent on it. `body` is the exact bytes
 * sent (the same on every attempt; only webhook-timestamp and the signature change). Due when
 * `status` is pending/failed/throttled and `next_attempt_at` has passed; a claimed one's
 * `next_attempt_at` is pushed ahead by the lease so no other worker takes it meanwhile. Kept 30
 * days (by created_at).
 */
export const delivery = pgTable(
  "delivery",
  {
    id: text("id").primaryKey(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: "cascade" }),
    actionRuleId: uuid("action_rule_id").references(() => actionRule.id, { onDelete: "set null" }),
    // null for a test event.
    alarmId: uuid("alarm_id").references(() => alarm.id, { onDelete: "cascade" }),
    alarmSeq: integer("alarm_seq"),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    status: text("status", {
      enum: ["pending", "delivered", "failed", "dead", "throttled"],
    }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at"),
    lastAttemptAt: instant("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    // At most 1 KB of the receiver's answer.
    responseExcerpt: text("response_excerpt"),
    deliveredAt: instant("delivered_at"),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("delivery_transition_key").on(t.endpointId, t.alarmId, t.alarmSeq),
    index("delivery_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'failed', 'throttled')`),
    index("delivery_alarm_idx").on(t.alarmId, t.alarmSeq),
    index("delivery_created_idx").on(t.createdAt, t.id),
    check("delivery_excerpt_check", sql`length(${t.responseExcerpt}) <= 1024`),
  ],
);

/**
 * Every attempt of a delivery, for the log: when, the status code (null: no answer), latency,
 * the error and a bounded excerpt of the answer. Goes with its delivery (30 days).
 */
export const deliveryAttempt = pgTable(
  "delivery_attempt",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => delivery.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: instant("at").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms"),
    error: text("error"),
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [
    uniqueIndex("delivery_attempt_key").on(t.deliveryId, t.attempt),
    check("delivery_attempt_excerpt_check", sql`length(${t.responseExcerpt}) <= 1024`),
  ],
);

/**
 * Storms (one root takes many dependents down): one grouped summary per (root alarm, system or
 * location of the dependents, endpoint) instead of one message per dependent. `delivery_id` is the
 * summary's delivery; `count` the dependents it named when it was sent.
 */
export const stormNotice = pgTable(
  "storm_notice",
  {
    id: id(),
    rootAlarmId: uuid("root_alarm_id")
      .notNull()
      .references(() => alarm.id, { onDelete: "cascade" }),
    groupKind: text("group_kind", { enum: ["system", "location"] }).notNull(),
    groupId: uuid("group_id").notNull(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoint.id, { onDelete: "cascade" }),
    deliveryId: text("delivery_id").references(() => delivery.id, { onDelete: "set null" }),
    count: integer("count").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("storm_notice_key").on(t.rootAlarmId, t.groupKind, t.groupId, t.endpointId)],
);
