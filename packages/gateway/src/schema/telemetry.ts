import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { instant, jsonb } from "./columns";
import { component } from "./component";
import { location } from "./location";
import { principal } from "./principal";
import { signal } from "./catalog";
import { system } from "./system";

/**
 * A series: one owner (component, system or location: an exclusive arc), one signal, one
 * instance. It also holds the series' current value, so the upsert of a batch touches one row per
 * series. `stale_at` is when the value becomes stale (ts + 2 × expected interval), kept by the
 * writer so the clock finds what just went stale through one index.
 */
export const series = pgTable(
  "series",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ownerKind: text("owner_kind", { enum: ["component", "system", "location"] }).notNull(),
    componentId: uuid("component_id").references(() => component.id, { onDelete: "cascade" }),
    systemId: uuid("system_id").references(() => system.id, { onDelete: "cascade" }),
    locationId: uuid("location_id").references(() => location.id, { onDelete: "cascade" }),
    signalId: uuid("signal_id")
      .notNull()
      .references(() => signal.id, { onDelete: "cascade" }),
    instance: text("instance").notNull().default(""),
    // The current value (null until the first sample).
    value: jsonb("value"),
    ts: instant("ts"),
    receivedAt: instant("received_at"),
    provenance: text("provenance", { enum: ["observed", "pushed", "declared"] }),
    sourceId: uuid("source_id").references(() => principal.id, { onDelete: "set null" }),
    expectedIntervalMs: integer("expected_interval_ms"),
    staleAt: instant("stale_at"),
    state: text("state", { enum: ["fresh", "stale"] }),
    stateSince: instant("state_since"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    unique("series_owner_signal_instance_key")
      .on(t.componentId, t.systemId, t.locationId, t.signalId, t.instance)
      .nullsNotDistinct(),
    index("series_component_idx").on(t.componentId),
    index("series_system_idx").on(t.systemId),
    index("series_location_idx").on(t.locationId),
    index("series_stale_at_idx")
      .on(t.staleAt)
      .where(sql`${t.state} = 'fresh' and ${t.staleAt} is not null`),
    check(
      "series_owner_check",
      sql`(${t.ownerKind} = 'component' and ${t.componentId} is not null and ${t.systemId} is null and ${t.locationId} is null)
        or (${t.ownerKind} = 'system' and ${t.systemId} is not null and ${t.componentId} is null and ${t.locationId} is null)
        or (${t.ownerKind} = 'location' and ${t.locationId} is not null and ${t.componentId} is null and ${t.systemId} is null)`,
    ),
    check(
      "series_interval_check",
      sql`${t.expectedIntervalMs} is null or ${t.expectedIntervalMs} > 0`,
    ),
  ],
);

/**
 * History: append-only, one row per (series, ts), range-partitioned by day on `ts` (the migration
 * declares the partitioning; the gateway creates partitions ahead and drops expired ones).
 * Metrics keep their number in `num`; properties their value in `value`.
 */
export const sample = pgTable(
  "sample",
  {
    seriesId: bigint("series_id", { mode: "number" }).notNull(),
    ts: instant("ts").notNull(),
    num: doublePrecision("num"),
    value: jsonb("value"),
  },
  (t) => [primaryKey({ name: "sample_pkey", columns: [t.seriesId, t.ts] })],
);

/**
 * Samples not stored, counted by source (a node or a pushing principal), component, signal and
 * reason, with the last detail: visible per node and per component, never silently dropped.
 */
export const sampleRejection = pgTable(
  "sample_rejection",
  {
    sourceId: uuid("source_id")
      .notNull()
      .references(() => principal.id, { onDelete: "cascade" }),
    componentId: uuid("component_id").references(() => component.id, { onDelete: "cascade" }),
    signal: text("signal").notNull(),
    reason: text("reason").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
    lastDetail: text("last_detail").notNull(),
    firstAt: instant("first_at").notNull().defaultNow(),
    lastAt: instant("last_at").notNull().defaultNow(),
  },
  (t) => [
    unique("sample_rejection_key")
      .on(t.sourceId, t.componentId, t.signal, t.reason)
      .nullsNotDistinct(),
    index("sample_rejection_component_idx").on(t.componentId),
  ],
);

/** A freshness transition of a series, recorded by the worker (the clock and ingest). */
export const freshnessEvent = pgTable(
  "freshness_event",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    seriesId: bigint("series_id", { mode: "number" })
      .notNull()
      .references(() => series.id, { onDelete: "cascade" }),
    state: text("state", { enum: ["fresh", "stale"] }).notNull(),
    at: instant("at").notNull(),
    valueTs: instant("value_ts"),
  },
  (t) => [index("freshness_event_series_at_idx").on(t.seriesId, t.at)],
);
