import { sql } from "drizzle-orm";
import type { Database } from "../db";
import { recomputeHealth } from "./recompute-health";

/** Components per transaction: bounds the advisory locks one transaction holds. */
const CHUNK = 500;

/**
 * Judges the whole estate again: every component (in chunks, each chunk with the systems they
 * serve and the locations above), then the systems and locations nothing reached (empty ones).
 * What `npm start` runs after seeding, so an install older than health (or written by a seed
 * that bypasses the writers) shows a verdict for everything; idempotent (unchanged rows are not
 * written, no transition is added). "unsafe": no actor; an operator's start, not a request.
 */
export async function unsafeRecomputeAllHealth(db: Database): Promise<{ changed: number }> {
  const ids = async (table: string) =>
    (
      (await db.execute(sql`select id from ${sql.raw(table)} order by id`)).rows as { id: string }[]
    ).map((r) => r.id);
  let changed = 0;
  const components = await ids("component");
  for (let i = 0; i < components.length; i += CHUNK) {
    const chunk = components.slice(i, i + CHUNK);
    changed += (await db.transaction((tx) => recomputeHealth(tx, { componentIds: chunk }))).length;
  }
  for (const [kind, table] of [
    ["systemIds", "system"],
    ["locationIds", "location"],
  ] as const) {
    const missing = (
      (
        await db.execute(
          sql`select o.id from ${sql.raw(table)} o where not exists (select 1 from health h where h.owner_id = o.id) order by o.id`,
        )
      ).rows as { id: string }[]
    ).map((r) => r.id);
    for (let i = 0; i < missing.length; i += CHUNK) {
      const chunk = missing.slice(i, i + CHUNK);
      changed += (await db.transaction((tx) => recomputeHealth(tx, { [kind]: chunk }))).length;
    }
  }
  return { changed };
}
