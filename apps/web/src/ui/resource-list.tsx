"use client";

import type { ReactNode } from "react";
import {
  Button,
  cellClass,
  ErrorText,
  Field,
  inputClass,
  mutedClass,
  PageHeader,
  Table,
} from "./controls";
import { FreshnessLine } from "./freshness";
import { TextLink } from "./links";
import { type ListState, type Order } from "./list-state";

export interface Column<T, C extends string> {
  key: C;
  cell: (row: T) => ReactNode;
}

export interface FilterControl<F extends string> {
  key: F;
  label: string;
  /** The control; `set` writes the value to the URL. Default: a text box. */
  render?: (value: string, set: (value: string) => void) => ReactNode;
  placeholder?: string;
}

/**
 * The one list of the console: search, filters, sort, column chooser and paging, all kept in the
 * URL by `useListState`, over the rows of one list procedure. "N matched" is announced.
 */
export function ResourceList<T, F extends string, C extends string>({
  title,
  actions,
  before,
  state,
  filters,
  primary,
  columns,
  result,
  error,
  rowKey,
  rowProps,
  freshness,
}: {
  title: string;
  actions?: ReactNode;
  /** Shown between the heading and the filters (a create form, a freshly issued token). */
  before?: ReactNode;
  state: ListState<F, C>;
  filters: FilterControl<F>[];
  primary: { label: string; cell: (row: T) => ReactNode };
  columns: Column<T, C>[];
  result: { items: T[]; nextPageToken?: string | null; totalSize?: number } | undefined;
  error: { message: string } | null;
  rowKey: (row: T) => string;
  rowProps?: (row: T) => Record<`data-${string}`, string>;
  /** The list query's `dataUpdatedAt` and whether its last read failed: an "as of" line. */
  freshness?: { updatedAt: number; failed: boolean };
}) {
  const shown = columns.filter((c) => state.shown.includes(c.key));
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title={title}>
        <div className="flex items-baseline gap-4">
          <span
            role="status"
            aria-live="polite"
            data-testid="matched"
            className={`text-sm ${mutedClass}`}
          >
            {result?.totalSize !== undefined ? `${result.totalSize} matched` : ""}
          </span>
          {actions}
        </div>
      </PageHeader>
      {freshness ? (
        <FreshnessLine updatedAt={freshness.updatedAt} failed={freshness.failed} />
      ) : null}
      {before}
      <div
        role="search"
        aria-label="Filters"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
      >
        {state.searchable ? (
          <Field label="Search">
            <input
              className={inputClass}
              type="search"
              value={state.q}
              onChange={(e) => state.set("q", e.target.value)}
              placeholder="name or label"
            />
          </Field>
        ) : null}
        {filters.map((f) => (
          <Field key={f.key} label={f.label}>
            {f.render ? (
              f.render(state.values[f.key], (v) => state.set(f.key, v))
            ) : (
              <input
                className={inputClass}
                value={state.values[f.key]}
                onChange={(e) => state.set(f.key, e.target.value)}
                placeholder={f.placeholder}
              />
            )}
          </Field>
        ))}
        {state.sortable ? (
          <Field label="Sort">
            <select
              className={inputClass}
              value={state.sort}
              onChange={(e) => state.set("sort", e.target.value as Order)}
            >
              {state.orders.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </div>
      <fieldset className="flex flex-wrap items-center gap-3 text-sm">
        <legend className={`float-left mr-1 ${mutedClass}`}>Columns:</legend>
        {state.columns.map((c) => (
          <label key={c} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={state.shown.includes(c)}
              onChange={() => state.toggleColumn(c)}
            />
            {c}
          </label>
        ))}
      </fieldset>
      <ErrorText error={error} />
      <Table head={[primary.label, ...shown.map((c) => c.key)]}>
        {result?.items.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            <td className={cellClass}>{primary.cell(row)}</td>
            {shown.map((c) => (
              <td key={c.key} className={cellClass}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </Table>
      <nav aria-label="Pages" className="flex items-center gap-2 text-sm">
        <Button onClick={state.previous} disabled={state.page === 1}>
          Previous
        </Button>
        <span className={mutedClass} data-testid="page-number">
          Page {state.page}
        </span>
        <Button
          onClick={() => result?.nextPageToken && state.next(result.nextPageToken)}
          disabled={!result?.nextPageToken}
        >
          Next
        </Button>
      </nav>
    </div>
  );
}

/**
 * The first column, row key and test hooks of a list of placed objects (systems, components): the
 * path linked to the object's page, its label beside it.
 */
export function placedRows<T extends { id: string; path: string; label: string | null }>(
  label: string,
  hrefOf: (path: string) => string,
  testId: string,
) {
  return {
    primary: {
      label,
      cell: (row: T) => (
        <>
          <TextLink href={hrefOf(row.path)}>{row.path}</TextLink>
          {row.label ? <span className={`ml-2 ${mutedClass}`}>{row.label}</span> : null}
        </>
      ),
    },
    rowKey: (row: T) => row.id,
    rowProps: (row: T) => ({ "data-testid": testId, "data-path": row.path }),
  };
}
