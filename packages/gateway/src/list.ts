import { asc, desc, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { decodeCursor, encodeCursor } from "@omniglass/domain";
import type { ListInput } from "@omniglass/contracts";

/**
 * The one list helper. A list fetches `pageSize + 1` rows in a single statement ordered by its
 * sort key; the extra row only says whether there is a next page. Cursors are the sort key of the
 * last row returned, so pages stay stable while rows are inserted.
 */
export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
  totalSize?: number;
  /** The total was counted only up to a cap (`totalCap`): there are more than `totalSize`. */
  totalIsLowerBound?: boolean;
}

export function readCursor(input: ListInput, arity: number): (string | number)[] | null {
  return input.page_token ? decodeCursor(input.page_token, arity) : null;
}

export function toPage<Row, Item>(
  rows: Row[],
  input: ListInput,
  cursorOf: (row: Row) => (string | number)[],
  toItem: (row: Row) => Item,
): Page<Item> {
  const hasMore = rows.length > input.page_size;
  const pageRows = hasMore ? rows.slice(0, input.page_size) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(toItem),
    nextPageToken: hasMore && last ? encodeCursor(cursorOf(last)) : null,
  };
}

/**
 * Keyset ordering for lists with a choice of `order_by` (`field` or `-field`). Each field maps to a
 * column and reads its value off a row; a unique column is its own cursor, any other is
 * tie-broken by `id`.
 */
export function keysetOrder<Row>(
  input: ListInput & { order_by: string },
  fields: Record<string, { column: AnyPgColumn; unique?: boolean; value: (row: Row) => string }>,
  id: { column: AnyPgColumn; value: (row: Row) => string },
) {
  const descending = input.order_by.startsWith("-");
  const field = fields[input.order_by.replace(/^-/, "")];
  if (!field) throw new Error(`order_by ${input.order_by} has no column`);
  const { column, unique = false } = field;
  const cursor = readCursor(input, 2);
  const direction = sql.raw(descending ? "<" : ">");
  const after = !cursor
    ? undefined
    : unique
      ? sql`${column} ${direction} ${cursor[0]}`
      : sql`(${column}, ${id.column}) ${direction} (${cursor[0]}, ${cursor[1]})`;
  const by = descending ? desc : asc;
  const orderBy: SQL[] = unique ? [by(column)] : [by(column), by(id.column)];
  return { after, orderBy, cursorOf: (row: Row) => [field.value(row), id.value(row)] };
}

/**
 * One keyset page with its total: the page's statement and the count under the same condition,
 * side by side on the pool (never on one transaction client). With `cap`, the count statement was
 * limited to `cap + 1` rows (a summary that says "1,000+" instead of counting 98,000): the page
 * then says its total is a lower bound.
 */
export async function pageWithTotal<Row, Item>(
  input: ListInput,
  cursorOf: (row: Row) => (string | number)[],
  toItem: (row: Row) => Item,
  rows: PromiseLike<Row[]>,
  total: PromiseLike<{ n: number }[]>,
  cap?: number,
): Promise<Page<Item>> {
  const [found, [counted]] = await Promise.all([rows, total]);
  const n = counted?.n ?? 0;
  const page = toPage(found, input, cursorOf, toItem);
  return cap !== undefined && n > cap
    ? { ...page, totalSize: cap, totalIsLowerBound: true }
    : { ...page, totalSize: n };
}
