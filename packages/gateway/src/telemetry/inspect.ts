import { sql } from "drizzle-orm";
import type { Database } from "../db";

export interface TelemetrySnapshot {
  /** History rows of the components' series. */
  samples: number;
  /** (series, ts) pairs stored more than once (the key forbids it; checked, not assumed). */
  duplicates: number;
  series: {
    componentId: string;
    signal: string;
    instance: string;
    value: unknown;
    tsMs: number | null;
    state: "fresh" | "stale" | null;
  }[];
  rejections: {
    componentId: string | null;
    signal: string;
    reason: string;
    count: number;
    lastDetail: string;
  }[];
  events: { componentId: string; signal: string; state: "fresh" | "stale" }[];
}

/**
 * What the writer stored for some components and one source: for tests, the ingest benchmark and
 * diagnostics (apps may not query the database themselves). Unscoped: never behind an API.
 */
export async function unsafeTelemetrySnapshot(
  db: Database,
  { componentIds, sourceId }: { componentIds: string[]; sourceId?: string },
): Promise<TelemetrySnapshot> {
  const ids = sql.param(componentIds);
  const [counts] = (
    await db.execute(sql`
      select count(*)::bigint as samples, count(*) - count(distinct (s.series_id, s.ts)) as duplicates
      from sample s where s.series_id in (select id from series where component_id = any(${ids}::uuid[]))`)
  ).rows as { samples: string; duplicates: string }[];
  const series = (
    await db.execute(sql`
      select s.component_id as "componentId", g.name as signal, s.instance, s.value,
        (extract(epoch from s.ts) * 1000)::float8 as "tsMs", s.state
      from series s join signal g on g.id = s.signal_id
      where s.component_id = any(${ids}::uuid[])
      order by s.component_id, g.name, s.instance`)
  ).rows as TelemetrySnapshot["series"];
  const rejections = (
    await db.execute(sql`
      select component_id as "componentId", signal, reason, count::float8 as count, last_detail as "lastDetail"
      from sample_rejection
      where ${sourceId ? sql`source_id = ${sourceId}::uuid` : sql`component_id = any(${ids}::uuid[])`}
      order by signal, reason, component_id`)
  ).rows as TelemetrySnapshot["rejections"];
  const events = (
    await db.execute(sql`
      select s.component_id as "componentId", g.name as signal, e.state
      from freshness_event e join series s on s.id = e.series_id join signal g on g.id = s.signal_id
      where s.component_id = any(${ids}::uuid[])
      order by e.id`)
  ).rows as TelemetrySnapshot["events"];
  return {
    samples: Number(counts?.samples ?? 0),
    duplicates: Number(counts?.duplicates ?? 0),
    series: series.map((s) => ({ ...s, tsMs: s.tsMs === null ? null : Number(s.tsMs) })),
    rejections,
    events,
  };
}
