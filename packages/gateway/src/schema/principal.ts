import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, instant } from "./columns";

/**
 * Who can act: a human (password, sessions), a service (API tokens) or an edge node.
 * `name` follows the identity rule (^[a-z0-9][a-z0-9-]*$, at most 100) and is unique.
 */
export const principal = pgTable(
  "principal",
  {
    id: id(),
    kind: text("kind", { enum: ["human", "service", "node"] }).notNull(),
    name: text("name").notNull(),
    label: text("label"),
    email: text("email"),
    // argon2id PHC string; only humans have one. Never leaves the gateway.
    passwordHash: text("password_hash"),
    disabledAt: instant("disabled_at"),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("principal_name_key").on(t.name),
    check("principal_kind_check", sql`${t.kind} in ('human', 'service', 'node')`),
    check(
      "principal_name_check",
      sql`${t.name} ~ '^[a-z0-9][a-z0-9-]*$' and length(${t.name}) <= 100`,
    ),
    check("principal_password_check", sql`${t.passwordHash} is null or ${t.kind} = 'human'`),
  ],
);

/** A signed-in browser. The cookie carries a random secret; only its SHA-256 is stored. */
export const session = pgTable(
  "session",
  {
    id: id(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principal.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    lastSeenAt: instant("last_seen_at").notNull().defaultNow(),
    expiresAt: instant("expires_at").notNull(),
    revokedAt: instant("revoked_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [
    uniqueIndex("session_secret_hash_key").on(t.secretHash),
    index("session_principal_idx").on(t.principalId),
  ],
);

/** An API token (`og_…`), shown once; only its SHA-256 is stored, with a short prefix for recognition. */
export const apiToken = pgTable(
  "api_token",
  {
    id: id(),
    principalId: uuid("principal_id")
      .notNull()
      .references(() => principal.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
    expiresAt: instant("expires_at"),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [
    uniqueIndex("api_token_secret_hash_key").on(t.secretHash),
    index("api_token_principal_idx").on(t.principalId),
  ],
);
