import { sql } from "drizzle-orm";
import type { Database } from "../db";

/**
 * "Reads never write" (issue #16 item 7): a fingerprint of every table the application can write
 * — every base table and partition of every non-system schema (public, drizzle's migration
 * journal, the sample partitions), read from the catalogue so a table added later is covered
 * without touching a test — and a diff that names the tables whose content changed.
 *
 * A fingerprint is the row count and an md5 of the rows' text in a stable order, over all columns
 * but the session bookkeeping below.
 */

/**
 * What authenticating a request may stamp while only reading, as `schema.table.column`, and
 * nothing else (columns, not whole tables: a read that created a session or revoked a token
 * would still show):
 * - `api_token.last_used_at`: a bearer token's last use (unsafeAuthenticateToken, at most once a
 *   minute);
 * - `session.last_seen_at`: a console session's last request (unsafeAuthenticateSession, at most
 *   once a minute).
 * Signing in itself (a `session` row, its audit row, `sign_in_failure` rows of a wrong password)
 * happens before a probe's first snapshot, so it is not allowed here.
 */
export const SESSION_BOOKKEEPING: readonly string[] = [
  "public.api_token.last_used_at",
  "public.session.last_seen_at",
];

/** Table (`schema.table`) → `rows:md5`. */
export type DatabaseSnapshot = Record<string, string>;

interface ColumnRow {
  table_schema: string;
  table_name: string;
  column_name: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The fingerprint of every base table (partitions included, their partitioned parents not: the
 * rows would count twice) of every schema but PostgreSQL's own, minus the `ignore`d columns
 * (default: the session bookkeeping). One statement per table on one client.
 */
export async function snapshotDatabase(
  db: Database,
  { ignore = SESSION_BOOKKEEPING }: { ignore?: readonly string[] } = {},
): Promise<DatabaseSnapshot> {
  const columns = (await db.execute(
    sql`select n.nspname as table_schema, c.relname as table_name, a.attname as column_name
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where c.relkind = 'r'
          and n.nspname not in ('pg_catalog', 'information_schema')
          and n.nspname not like 'pg\\_toast%'
          and n.nspname not like 'pg\\_temp%'
        order by n.nspname, c.relname, a.attnum`,
  )) as unknown as { rows: ColumnRow[] };
  const byTable = new Map<string, string[]>();
  for (const { table_schema, table_name, column_name } of columns.rows) {
    const table = `${table_schema}.${table_name}`;
    const kept = byTable.get(table) ?? [];
    byTable.set(table, kept);
    if (!ignore.includes(`${table}.${column_name}`)) kept.push(column_name);
  }
  const snapshot: DatabaseSnapshot = {};
  for (const [table, names] of byTable) {
    const [schema, name] = table.split(/\.(.*)/s) as [string, string];
    const row = names.length
      ? sql.raw(`row(${names.map((n) => `t.${quote(n)}`).join(", ")})::text`)
      : sql.raw(`''`);
    const result = (await db.execute(
      sql`select count(*)::int as n, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as h
          from ${sql.raw(`${quote(schema)}.${quote(name)}`)} t`,
    )) as unknown as { rows: { n: number; h: string }[] };
    snapshot[table] = `${result.rows[0]!.n}:${result.rows[0]!.h}`;
  }
  return snapshot;
}

export interface TableChange {
  table: string;
  /** `rows:md5` before, or null when the table did not exist. */
  before: string | null;
  after: string | null;
}

/** The tables whose fingerprint differs (appeared, disappeared or changed), sorted by name. */
export function diffSnapshots(before: DatabaseSnapshot, after: DatabaseSnapshot): TableChange[] {
  const tables = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return tables
    .filter((t) => before[t] !== after[t])
    .map((table) => ({ table, before: before[table] ?? null, after: after[table] ?? null }));
}

/** "public.alarm (3 → 4 rows)" per changed table, for an assertion's message. */
export function describeChanges(changes: readonly TableChange[]): string {
  const rows = (s: string | null) => (s === null ? "absent" : `${s.split(":")[0]} rows`);
  return changes
    .map((c) => `${c.table} (${rows(c.before)} → ${rows(c.after)}, content changed)`)
    .join("; ");
}
