import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant, jsonb } from "./columns";
import { component } from "./component";
import { location } from "./location";
import { system } from "./system";

const VERDICT_ENUM = ["healthy", "incomplete", "unknown", "degraded", "outage"] as const;
const OWNER_KIND_ENUM = ["component", "system", "location"] as const;

const ownerCheck = (t: {
  ownerKind: unknown;
  componentId: unknown;
  systemId: unknown;
  locationId: unknown;
}) =>
  sql`(${t.ownerKind} = 'component' and ${t.componentId} is not null and num_nonnulls(${t.systemId}, ${t.locationId}) = 0)
    or (${t.ownerKind} = 'system' and ${t.systemId} is not null and num_nonnulls(${t.componentId}, ${t.locationId}) = 0)
    or (${t.ownerKind} = 'location' and ${t.locationId} is not null and num_nonnulls(${t.componentId}, ${t.systemId}) = 0)`;

/**
 * The current health of one component, system or location (DESIGN.md §8), written by the
 * transaction that changed what it is judged from (ingest, acknowledge/resolve, membership, the
 * clock). The owner is an exclusive arc (exactly one id, the column of `owner_kind`), so it goes
 * with its owner; `owner_id` repeats that id so one key orders every row for locking. `since` is
 * the time of its last transition; `causes` and `leaves` are the judgement's (contracts
 * HealthCause[]), so a system is judged from its members' rows without re-judging them.
 */
export const health = pgTable(
  "health",
  {
    ownerId: uuid("owner_id").primaryKey(),
    ownerKind: text("owner_kind", { enum: OWNER_KIND_ENUM }).notNull(),
    componentId: uuid("component_id").references(() => component.id, { onDelete: "cascade" }),
    systemId: uuid("system_id").references(() => system.id, { onDelete: "cascade" }),
    locationId: uuid("location_id").references(() => location.id, { onDelete: "cascade" }),
    verdict: text("verdict", { enum: VERDICT_ENUM }).notNull(),
    since: instant("since").notNull(),
    causes: jsonb("causes").notNull().default([]),
    leaves: jsonb("leaves").notNull().default([]),
    explanation: text("explanation").notNull(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("health_component_key").on(t.componentId),
    uniqueIndex("health_system_key").on(t.systemId),
    uniqueIndex("health_location_key").on(t.locationId),
    check("health_owner_check", ownerCheck(t)),
    check(
      "health_owner_id_check",
      sql`${t.ownerId} = coalesce(${t.componentId}, ${t.systemId}, ${t.locationId})`,
    ),
  ],
);

/**
 * A change of an owner's verdict, append-only: when, from what (`previous` null for the first
 * verdict recorded) to what, and the sentence that explained it. History and availability are
 * read from these in a window, through the (owner, at) index.
 */
export const healthTransition = pgTable(
  "health_transition",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ownerId: uuid("owner_id").notNull(),
    ownerKind: text("owner_kind", { enum: OWNER_KIND_ENUM }).notNull(),
    componentId: uuid("component_id").references(() => component.id, { onDelete: "cascade" }),
    systemId: uuid("system_id").references(() => system.id, { onDelete: "cascade" }),
    locationId: uuid("location_id").references(() => location.id, { onDelete: "cascade" }),
    at: instant("at").notNull(),
    verdict: text("verdict", { enum: VERDICT_ENUM }).notNull(),
    previous: text("previous", { enum: VERDICT_ENUM }),
    explanation: text("explanation").notNull(),
  },
  (t) => [
    index("health_transition_owner_at_idx").on(t.ownerId, t.at),
    index("health_transition_component_idx").on(t.componentId),
    index("health_transition_system_idx").on(t.systemId),
    index("health_transition_location_idx").on(t.locationId),
    check("health_transition_owner_check", ownerCheck(t)),
  ],
);
