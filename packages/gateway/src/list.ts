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
