import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgSequence,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { id, instant, jsonb } from "./columns";
import { principal } from "./principal";

/*
 * Estate as code (issue #15, DESIGN.md §10, decision 0012): the state revision and its change
 * log, what the files manage, plans, approvals, applies and the lease lock.
 */

/** The state revision: every logged change takes the next value (never a single hot row). */
export const estateRevisionSeq = pgSequence("estate_revision_seq", { startWith: 1 });

/**
 * One row per write to what estate files manage, appended by row triggers on those tables
 * (0014's SQL): the table, the object's id (for a member, interface or role: its system's or
 * component's), the operation and who, when the writer said (`omniglass.actor`). Columns the
 * data plane writes on the hot path (a node's heartbeat, an endpoint's failure clock) are left
 * out by the triggers' WHEN clauses. The current revision is `max(revision)`.
 */
export const estateChange = pgTable(
  "estate_change",
  {
    revision: bigint("revision", { mode: "bigint" })
      .primaryKey()
      .default(sql`nextval('estate_revision_seq')`),
    tableName: text("table_name").notNull(),
    objectId: uuid("object_id").notNull(),
    op: text("op", { enum: ["insert", "update", "delete"] }).notNull(),
    at: instant("at").notNull().defaultNow(),
    actorId: uuid("actor_id"),
  },
  (t) => [index("estate_change_at_idx").on(t.at)],
);

/**
 * What an apply left managed by the files: the typed address, its kind, the object's id (null
 * for value objects addressed by their target: tags, variables, grants), the declared spec as
 * last applied (drift compares the state against it) and the apply that wrote it.
 */
export const estateManaged = pgTable(
  "estate_managed",
  {
    address: text("address").primaryKey(),
    kind: text("kind").notNull(),
    objectId: uuid("object_id"),
    spec: jsonb("spec").notNull(),
    applyId: uuid("apply_id").notNull(),
    planId: text("plan_id").notNull(),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [index("estate_managed_object_idx").on(t.objectId)],
);

/** A stored plan: the artifact, its summary, and where it is in its life. */
export const estatePlan = pgTable(
  "estate_plan",
  {
    id: text("id").primaryKey(),
    plannerId: uuid("planner_id")
      .notNull()
      .references(() => principal.id),
    createdAt: instant("created_at").notNull().defaultNow(),
    desiredDigest: text("desired_digest").notNull(),
    baseRevision: bigint("base_revision", { mode: "bigint" }).notNull(),
    // The number of log rows at planning: a change committed late with a lower revision than
    // the max still makes the plan stale (sequences are not transactional).
    baseCount: bigint("base_count", { mode: "bigint" }).notNull(),
    plan: jsonb("plan").notNull(),
    // The desired model the plan was made from (what an apply writes for creates and updates).
    desired: jsonb("desired").notNull(),
    summary: text("summary").notNull(),
    status: text("status", {
      enum: ["pending", "approved", "applied", "stale", "discarded"],
    })
      .notNull()
      .default("pending"),
    // Where the plan was made (the caller's read scope decides what it saw): a location path.
    subtree: text("subtree"),
  },
  (t) => [
    index("estate_plan_created_idx").on(t.createdAt, t.id),
    check(
      "estate_plan_status_check",
      sql`${t.status} in ('pending', 'approved', 'applied', 'stale', 'discarded')`,
    ),
  ],
);

/** An approval of a plan, by someone other than its planner. */
export const estateApproval = pgTable(
  "estate_approval",
  {
    id: id(),
    planId: text("plan_id")
      .notNull()
      .references(() => estatePlan.id, { onDelete: "cascade" }),
    approverId: uuid("approver_id")
      .notNull()
      .references(() => principal.id),
    at: instant("at").notNull().defaultNow(),
    comment: text("comment"),
  },
  (t) => [uniqueIndex("estate_approval_key").on(t.planId, t.approverId)],
);

/** One apply of a plan: who, when, the revision it left, and what it did. */
export const estateApply = pgTable(
  "estate_apply",
  {
    id: id(),
    planId: text("plan_id")
      .notNull()
      .references(() => estatePlan.id),
    byId: uuid("by_id")
      .notNull()
      .references(() => principal.id),
    at: instant("at").notNull().defaultNow(),
    revisionAfter: bigint("revision_after", { mode: "bigint" }).notNull(),
    counts: jsonb("counts").notNull(),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("estate_apply_at_idx").on(t.at, t.id)],
);

/**
 * The lease lock of applies: one row (`name = 'estate'`) while an apply runs. Taken in its own
 * short transaction (insert, or take over an expired lease), released by lock id when the apply
 * ends either way; a crashed apply's lease is taken over after `expires_at`.
 */
export const estateLock = pgTable("estate_lock", {
  name: text("name").primaryKey(),
  lockId: uuid("lock_id").notNull(),
  holderId: uuid("holder_id").notNull(),
  holder: text("holder").notNull(),
  purpose: text("purpose").notNull(),
  acquiredAt: instant("acquired_at").notNull().defaultNow(),
  expiresAt: instant("expires_at").notNull(),
});
