import { sql, type SQL } from "drizzle-orm";
import type { Actor } from "@omniglass/domain";
import type { Address, EstateObject, ObjectState, SecretRef } from "@omniglass/estate";
import type { Database, Transaction } from "../db";
import { escapeLike } from "../locations/scope";

export type Db = Database | Transaction;

export const rows = async <T>(db: Db, query: SQL): Promise<T[]> =>
  (await db.execute(query)).rows as T[];
export const cond = (scope: SQL | undefined) => scope ?? sql`true`;
export const optional = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** What every family's reader shares: the objects read so far and the caller's scope. */
export interface ReadContext {
  db: Db;
  actor: Actor;
  /** A location path: only what is placed in its subtree (and the registries). */
  sub: string | undefined;
  objects: Record<Address, EstateObject>;
  ids: Map<Address, string>;
  /** Managed (by an apply) and whether deleting it loses history. */
  state: (address: Address, hasHistory?: boolean) => ObjectState;
  /** The subtree's condition on a location path column (the subtree's root included). */
  locationIn: (column: SQL) => SQL;
  /** The subtree's condition on a placed object's path column (strictly inside). */
  placedIn: (column: SQL) => SQL;
  /**
   * The secret reference the last apply wrote for a managed secret variable or endpoint (the
   * state holds the sealed value, never a reference): what the model shows as its `secret`.
   */
  managedSecret: (address: Address) => SecretRef | undefined;
}

/** The reader context: the managed set read once (one statement). */
export async function readContext(
  db: Db,
  actor: Actor,
  sub: string | undefined,
): Promise<ReadContext> {
  const managedRows = await rows<{ address: string; secret: SecretRef | null }>(
    db,
    sql`select address, spec -> 'secret' as secret from estate_managed`,
  );
  const managed = new Set(managedRows.map((r) => r.address));
  const secrets = new Map(
    managedRows.filter((r) => r.secret !== null).map((r) => [r.address, r.secret!]),
  );
  return {
    db,
    actor,
    sub,
    objects: {},
    ids: new Map(),
    state: (address, hasHistory = false) => ({
      managed: managed.has(address),
      ...(hasHistory ? { hasHistory: true } : {}),
    }),
    locationIn: (column) =>
      sub ? sql`(${column} = ${sub} or ${column} like ${escapeLike(sub) + ".%"})` : sql`true`,
    placedIn: (column) => (sub ? sql`${column} like ${escapeLike(sub) + ".%"}` : sql`true`),
    managedSecret: (address) => secrets.get(address),
  };
}
