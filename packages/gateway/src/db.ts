import { drizzle, type NodePgDatabase, type NodePgTransaction } from "drizzle-orm/node-postgres";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import pg from "pg";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Database = NodePgDatabase<Schema>;
/** Only a transaction: writers that must share one (audit) take this type, so a bare handle does not compile. */
export type Transaction = NodePgTransaction<Schema, ExtractTablesWithRelations<Schema>>;

export interface DatabaseHandle {
  db: Database;
  /** Ends the pool; idempotent. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  /** Pool size; web and worker each hold one pool. */
  max?: number;
  /** Called with every statement drizzle sends (statement-count tests, tracing). Never logs parameters. */
  onQuery?: (sql: string) => void;
  applicationName?: string;
}

export function connectDatabase(options: DatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 2_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? "omniglass",
  });
  // A server restart kills idle clients; the pool replaces them on the next query. Without a
  // listener the 'error' event would crash the process instead.
  pool.on("error", () => {});
  // A client checked out but between statements (inside a transaction, behind the write gate)
  // gets the same 'error' event when the server goes away; the pool does not listen to it then,
  // so without this the process crashes. Its next statement fails, and the pool discards it.
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  const onQuery = options.onQuery;
  const db = drizzle(pool, {
    schema,
    logger: onQuery ? { logQuery: (query) => onQuery(query) } : false,
  });
  let closed: Promise<void> | null = null;
  return {
    db,
    close: () => (closed ??= pool.end()),
  };
}
