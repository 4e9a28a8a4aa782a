import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { NodeHeartbeat } from "@omniglass/contracts";
import { instant, jsonb } from "./columns";
import { location } from "./location";
import { principal } from "./principal";

/**
 * An edge collector. It is a principal of kind `node` (same id, name and label), placed in a
 * location for scope. Until it enrolls it holds a one-time enrollment token, stored as a hash.
 */
export const node = pgTable(
  "node",
  {
    id: uuid("id")
      .primaryKey()
      .references(() => principal.id, { onDelete: "cascade" }),
    locationId: uuid("location_id")
      .notNull()
      .references(() => location.id),
    enrollmentHash: text("enrollment_hash"),
    enrollmentPrefix: text("enrollment_prefix"),
    enrollmentExpiresAt: instant("enrollment_expires_at"),
    enrolledAt: instant("enrolled_at"),
    lastSeenAt: instant("last_seen_at"),
    // The node's last heartbeat as it sent it (current work, last error, buffer), kept by the worker.
    heartbeat: jsonb("heartbeat").$type<NodeHeartbeat>(),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [index("node_location_idx").on(t.locationId)],
);
