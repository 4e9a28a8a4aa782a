import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { id, instant, jsonb } from "./columns";

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
    // Where the audited object stood when the row was written, so reads can be scoped like the
    // object itself: `location` (path of a location, or of the location a node sits in),
    // `system`/`component` (their placed path, and their id for system-grant reach), or
    // `platform` (principals, grants, tokens, registries: readable only with the read on scope all).
    scopeKind: text("scope_kind", { enum: ["location", "system", "component", "platform"] })
      .notNull()
      .default("platform"),
    scopePath: text("scope_path"),
    scopeId: uuid("scope_id"),
  },
  (t) => [
    index("audit_log_at_id_idx").on(t.at.desc(), t.id.desc()),
    index("audit_log_resource_idx").on(t.resource, t.resourceId),
    index("audit_log_actor_idx").on(t.actorId),
    check("audit_log_source_check", sql`${t.source} in ('console', 'rest', 'cli', 'worker')`),
    check(
      "audit_log_scope_kind_check",
      sql`${t.scopeKind} in ('location', 'system', 'component', 'platform')`,
    ),
    index("audit_log_scope_path_idx").on(t.scopePath),
  ],
);
