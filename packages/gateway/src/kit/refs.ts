import { eq, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { OmniglassError } from "@omniglass/domain";

/** A UUID, the form of every id. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The identity rule of names and keys (the schema's check constraints say the same). */
export const NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The one reference resolver's condition: a reference is an id, a dotted path, or a name that must
 * be unique (DESIGN.md §4). Without a `path` column (nodes, templates) a reference is an id or a name.
 */
export function refCondition(
  ref: string,
  columns: { id: AnyPgColumn; name: AnyPgColumn; path?: AnyPgColumn },
): SQL {
  if (UUID.test(ref)) return eq(columns.id, ref);
  return ref.includes(".") && columns.path ? eq(columns.path, ref) : eq(columns.name, ref);
}

export function ambiguous(ref: string, what: string) {
  return new OmniglassError("INVALID", `${ref} names more than one ${what}; use its path or id.`, {
    fieldErrors: [{ field: "ref", message: "ambiguous name" }],
  });
}

/**
 * The one row a reference names among `rows` (the query asked for two): 404 with `missing` when
 * none, 400 when the name is ambiguous.
 */
export function theOne<T>(rows: T[], ref: string, what: string, missing: () => Error): T {
  if (rows.length === 0) throw missing();
  if (rows.length > 1) throw ambiguous(ref, what);
  return rows[0]!;
}
