import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "../db";

/**
 * For `pnpm bench ingest` only: empties the history (every partition, kept attached) so a second
 * run writes into fresh partitions.
 */
export async function unsafeTruncateSamplesForBench(db: Database): Promise<void> {
  await db.execute(sql`truncate sample`);
}

/**
 * For `pnpm bench ingest` only: the raw baseline. Writes the rows as CSV and loads them with a
 * server-side `COPY sample FROM '<file>'` (the database must run on this machine as a superuser,
 * as the bench's embedded PostgreSQL does). Returns the COPY's duration in ms (the CSV writing is
 * not counted; nor is any network transfer, so the baseline is if anything optimistic).
 */
export async function unsafeCopySamplesForBench(
  db: Database,
  rows: { seriesId: number; ts: number; num: number }[],
): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), "omniglass-copy-"));
  try {
    await chmod(dir, 0o755);
    const file = path.join(dir, "samples.csv");
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      lines[i] = `${r.seriesId},${new Date(r.ts).toISOString()},${r.num}`;
    }
    await writeFile(file, lines.join("\n") + "\n", { mode: 0o644 });
    const started = performance.now();
    await db.execute(sql.raw(`copy sample (series_id, ts, num) from '${file}' with (format csv)`));
    return performance.now() - started;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** For `pnpm bench ingest`: series ids by (component, instance) of one signal. */
export async function unsafeSeriesIdsForBench(
  db: Database,
  { componentIds, signal }: { componentIds: string[]; signal: string },
): Promise<Map<string, number>> {
  const result = await db.execute(sql`
    select s.id, s.component_id as component, s.instance
    from series s join signal g on g.id = s.signal_id
    where g.name = ${signal} and s.component_id = any(${sql.param(componentIds)}::uuid[])`);
  return new Map(
    (result.rows as { id: string; component: string; instance: string }[]).map((r) => [
      `${r.component}|${r.instance}`,
      Number(r.id),
    ]),
  );
}
