import { sql } from "drizzle-orm";
import type { SampleSignal } from "@omniglass/domain";
import type { Database, Transaction } from "../db";

// ---------------------------------------------------------------------------------------------
// Caches, per database handle (a worker process holds one): the signal catalog (short TTL) and
// series ids (keyed by owner|signal|instance; a series id never changes, but its owner may be
// deleted, so the whole map is forgotten now and then).
// ---------------------------------------------------------------------------------------------

export interface CatalogSignal extends SampleSignal {
  id: string;
}

const CATALOG_TTL_MS = 5_000;
/** An unknown name reloads the catalog at most this often (a flood of bad names costs nothing). */
const CATALOG_MISS_RELOAD_MS = 1_000;
const SERIES_CACHE_TTL_MS = 5 * 60_000;
const SERIES_CACHE_MAX = 500_000;

interface Caches {
  catalog: { at: number; byName: Map<string, CatalogSignal> } | null;
  series: Map<string, number>;
  seriesSince: number;
}
const caches = new WeakMap<object, Caches>();

export function cachesOf(db: Database): Caches {
  let c = caches.get(db);
  if (!c) {
    c = { catalog: null, series: new Map(), seriesSince: Date.now() };
    caches.set(db, c);
  }
  if (Date.now() - c.seriesSince > SERIES_CACHE_TTL_MS || c.series.size > SERIES_CACHE_MAX) {
    c.series = new Map();
    c.seriesSince = Date.now();
  }
  return c;
}

async function readCatalog(db: Database | Transaction): Promise<Map<string, CatalogSignal>> {
  const result = await db.execute(
    sql`select id, name, lane, value_type as "valueType", schema from signal`,
  );
  return new Map((result.rows as unknown as CatalogSignal[]).map((s) => [s.name, s]));
}

/** The signal catalog by name, cached for a few seconds; reloaded early when a name is missing. */
export async function loadSignalCatalog(
  db: Database,
  { missing }: { missing?: Iterable<string> } = {},
): Promise<Map<string, CatalogSignal>> {
  const c = cachesOf(db);
  const now = Date.now();
  let stale = !c.catalog || now - c.catalog.at > CATALOG_TTL_MS;
  if (!stale && c.catalog && now - c.catalog.at > CATALOG_MISS_RELOAD_MS && missing) {
    for (const name of missing)
      if (!c.catalog.byName.has(name)) {
        stale = true;
        break;
      }
  }
  if (stale) c.catalog = { at: now, byName: await readCatalog(db) };
  return c.catalog!.byName;
}

/** Forgets cached series ids (after a failed transaction, or when owners were deleted). */
export function forgetSeriesCache(db: Database): void {
  caches.delete(db);
}
