import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { instant, jsonb } from "./columns";

/**
 * REST writes carrying an `Idempotency-Key`: the first answer is kept for 24 hours and replayed
 * to a retry with the same key and the same request. Keys belong to the credential that sent them
 * (`scope` is a hash of it), so one caller cannot read another's answers.
 */
export const idempotencyKey = pgTable(
  "idempotency_key",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    // null while the first request is still running.
    status: integer("status"),
    body: jsonb("body"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.key] }),
    index("idempotency_key_created_at_idx").on(t.createdAt),
    check("idempotency_key_length_check", sql`length(${t.key}) between 1 and 200`),
  ],
);
