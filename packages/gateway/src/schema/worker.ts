import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import type { ConsumerStats, WorkerJob } from "@omniglass/contracts";
import { id, instant, jsonb } from "./columns";

/**
 * The worker registry: one row per worker process, kept by the presence lane from the heartbeats
 * workers publish on JetStream. A row only moves forward in time (older beats are ignored).
 */
export const worker = pgTable(
  "worker",
  {
    id: id(),
    hostname: text("hostname").notNull(),
    pid: integer("pid").notNull(),
    version: text("version").notNull(),
    // What the worker last said of itself; `stale` is derived from last_seen_at at read time.
    lifecycle: text("lifecycle", { enum: ["running", "stopping", "stopped"] }).notNull(),
    startedAt: instant("started_at").notNull(),
    lastSeenAt: instant("last_seen_at").notNull(),
    intervalMs: integer("interval_ms").notNull(),
    consumers: jsonb("consumers").$type<ConsumerStats[]>().notNull(),
    lastError: text("last_error"),
    // Its clock jobs as its last beat reported them (null: a version that reports none).
    jobs: jsonb("jobs").$type<WorkerJob[]>(),
    // The jobs and lanes working when it beat (null: a version that reports none).
    busy: jsonb("busy").$type<string[]>(),
    // The NATS server it was connected to (host:port).
    natsServer: text("nats_server"),
  },
  (t) => [
    check("worker_lifecycle_check", sql`${t.lifecycle} in ('running', 'stopping', 'stopped')`),
    check("worker_interval_check", sql`${t.intervalMs} > 0`),
    index("worker_started_at_id_idx").on(t.startedAt.desc(), t.id.desc()),
  ],
);
