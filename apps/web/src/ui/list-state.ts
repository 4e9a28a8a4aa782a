"use client";

import { usePathname, useSearchParams } from "next/navigation";

/** The sort orders every estate list offers (the API's `order_by`). */
export const ORDERS = [
  ["path", "Path"],
  ["name", "Name"],
  ["-created_at", "Newest first"],
  ["created_at", "Oldest first"],
  ["-path", "Path (reverse)"],
  ["-name", "Name (reverse)"],
] as const;
export type Order = (typeof ORDERS)[number][0];

export const PAGE_SIZE = 50;

/**
 * A list's state, kept in the URL so a filtered, sorted, paged list can be bookmarked, shared
 * and reloaded: `q`, `sort`, one parameter per filter, `cols` (the columns shown) and `page`
 * (the page tokens walked so far, repeated: the last is the page shown). Written with the
 * History API, which Next keeps in step with `useSearchParams`, so no server round trip.
 */
export function useListState<F extends string, C extends string>({
  filters,
  columns,
  defaultColumns,
  sortable = true,
  searchable = true,
  orders = ORDERS.map(([o]) => o),
}: {
  filters: readonly F[];
  columns: readonly C[];
  defaultColumns: readonly C[];
  /** Whether the list procedure takes `order_by` (catalogs are listed by name only). */
  sortable?: boolean;
  /** Whether it takes `q`. */
  searchable?: boolean;
  /** The orders the procedure knows; the first is the default. */
  orders?: readonly Order[];
}) {
  const search = useSearchParams();
  const pathname = usePathname();
  const values = Object.fromEntries(filters.map((f) => [f, search.get(f) ?? ""])) as Record<
    F,
    string
  >;
  const q = search.get("q") ?? "";
  const sortParam = search.get("sort");
  const sort: Order = orders.includes(sortParam as Order) ? (sortParam as Order) : orders[0]!;
  const pages = search.getAll("page");
  const colsParam = search.get("cols");
  const shown: C[] =
    colsParam === null
      ? [...defaultColumns]
      : columns.filter((c) => colsParam.split(",").includes(c));

  const write = (change: (next: URLSearchParams) => void, push = false) => {
    const next = new URLSearchParams(search.toString());
    change(next);
    const text = next.toString();
    const url = `${pathname}${text ? `?${text}` : ""}`;
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  };
  const setParam = (key: string, value: string) =>
    write((next) => {
      if (value.trim() === "") next.delete(key);
      else next.set(key, value);
      next.delete("page");
    });

  const filterText = filters
    .filter((f) => values[f].trim() !== "")
    .map((f) => `${f}=${values[f].trim()}`)
    .join(" ");
  const token = pages.at(-1);
  return {
    values,
    q,
    sort,
    page: pages.length + 1,
    shown,
    columns,
    sortable,
    searchable,
    orders: ORDERS.filter(([o]) => orders.includes(o)),
    /** The page token of the page shown, if not the first. */
    token,
    set: (key: F | "q" | "sort", value: string) => setParam(key, value),
    toggleColumn: (column: C) =>
      write((next) => {
        const chosen = shown.includes(column)
          ? shown.filter((c) => c !== column)
          : columns.filter((c) => c === column || shown.includes(c));
        next.set("cols", chosen.join(","));
      }),
    next: (nextToken: string) => write((next) => next.append("page", nextToken), true),
    previous: () =>
      write((next) => {
        next.delete("page");
        for (const p of pages.slice(0, -1)) next.append("page", p);
      }, true),
    /** The list procedure's input. */
    input: {
      ...(filterText ? { filter: filterText } : {}),
      ...(q.trim() ? { q: q.trim() } : {}),
      ...(sortable ? { order_by: sort } : {}),
      page_size: PAGE_SIZE,
      ...(token ? { page_token: token } : {}),
    },
  };
}

export type ListState<F extends string, C extends string> = ReturnType<typeof useListState<F, C>>;
