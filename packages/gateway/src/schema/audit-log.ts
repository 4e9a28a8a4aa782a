import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, instant } from "./columns";

/**
 * One row per mutation, written in the mutation's own transaction. Images are redacted by the
 * writer (no secret, token or hash ever lands here). Append-only.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: id(),
    at: instant("at").notNull().defaultNow(),
    actorId: uuid("actor_id"),
    realActorId: uuid("real_actor_id"),
    verb: text("verb").notNull(),
    resource: text("resource").notNull(),
    resourceId: text("resource_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id").notNull(),
    source: text("source", { enum: ["console", "rest", "cli", "worker"] }).notNull(),
    ip: text("ip"),
  },
  (t) => [
    index("audit_log_at_id_idx").on(t.at.desc(), t.id.desc()),
    index("audit_log_resource_idx").on(t.resource, t.resourceId),
    index("audit_log_actor_idx").on(t.actorId),
    check("audit_log_source_check", sql`${t.source} in ('console', 'rest', 'cli', 'worker')`),
  ],
);
