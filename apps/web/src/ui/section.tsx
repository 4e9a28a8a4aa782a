"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { useTRPC } from "./trpc";
import { Button, Field, inputClass } from "./ui";

/** Shared pieces of the estate pages: names, links, pickers, dialogs, column choice and paging. */

export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Why a name is not acceptable, or null: the API's identity rule, checked while typing. */
export function nameProblem(name: string): string | null {
  if (name === "") return "required";
  if (name.length > 100) return "at most 100 characters";
  if (!NAME_PATTERN.test(name))
    return "lowercase letters, digits and dashes, starting with a letter or digit";
  return null;
}

export const systemHref = (path: string) => `/systems/${encodeURIComponent(path)}`;
export const componentHref = (path: string) => `/components/${encodeURIComponent(path)}`;
export const templateHref = (name: string) => `/templates/${encodeURIComponent(name)}`;

export const linkClass =
  "font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300";

/** `1 system`, `2 systems`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A field whose problem shows under it (outside the label, so the input's name stays the label). */
export function Checked({
  label,
  error,
  children,
}: {
  label: string;
  error: string | null;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <Field label={label}>{children}</Field>
      {error ? <span className="text-xs text-red-700 dark:text-red-300">{error}</span> : null}
    </div>
  );
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section aria-label={title} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="text-lg font-semibold">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
      {items.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-zinc-500">{term}</dt>
          <dd>{value ?? <span className="text-zinc-400">—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

export const panelClass =
  "flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800";

/** Every location you may read, by path, as a select of dotted paths. */
export function LocationSelect({
  value,
  onChange,
  id,
  allowEmpty,
  emptyLabel = "— choose —",
  label = "Location",
}: {
  label?: string;
  value: string;
  onChange: (path: string) => void;
  id?: string;
  allowEmpty?: boolean;
  emptyLabel?: string;
}) {
  const trpc = useTRPC();
  const locations = useQuery(trpc.location.list.queryOptions({ page_size: 500 }));
  return (
    <select
      id={id}
      aria-label={label}
      className={inputClass}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      {allowEmpty || !value ? <option value="">{emptyLabel}</option> : null}
      {locations.data?.items.map((l) => (
        <option key={l.id} value={l.path}>
          {`${"  ".repeat(l.depth)}${l.path} (${l.type})`}
        </option>
      ))}
      {value && locations.data && !locations.data.items.some((l) => l.path === value) ? (
        <option value={value}>{value}</option>
      ) : null}
    </select>
  );
}

/** A modal dialog: a labelled panel over the page, closed with Cancel or Escape. */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="fixed inset-0 z-10 flex items-start justify-center bg-black/30 p-8">
      <div
        role="dialog"
        aria-modal="true"
        aria-label={title}
        className="flex w-full max-w-lg flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-800 dark:bg-zinc-950"
      >
        <h2 className="text-lg font-semibold">{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** A column chooser whose choice survives reloads (localStorage, per list). */
export function useColumns<C extends string>(storageKey: string, all: readonly C[], defaults: C[]) {
  const [shown, setShown] = useState<C[]>(defaults);
  useEffect(() => {
    try {
      const saved = window.localStorage.getItem(storageKey);
      if (saved) {
        const parsed = JSON.parse(saved) as unknown;
        if (Array.isArray(parsed)) setShown(all.filter((c) => parsed.includes(c)));
      }
    } catch {
      // A broken saved choice falls back to the defaults.
    }
  }, [storageKey, all]);
  const toggle = (column: C) => {
    setShown((current) => {
      const next = current.includes(column)
        ? current.filter((c) => c !== column)
        : all.filter((c) => c === column || current.includes(c));
      window.localStorage.setItem(storageKey, JSON.stringify(next));
      return next;
    });
  };
  return { shown: all.filter((c) => shown.includes(c)), toggle };
}

export function ColumnChooser<C extends string>({
  all,
  shown,
  toggle,
}: {
  all: readonly C[];
  shown: C[];
  toggle: (column: C) => void;
}) {
  return (
    <fieldset className="flex flex-wrap items-center gap-3 text-sm">
      <legend className="sr-only">Columns</legend>
      <span className="text-zinc-500">Columns:</span>
      {all.map((c) => (
        <label key={c} className="flex items-center gap-1">
          <input type="checkbox" checked={shown.includes(c)} onChange={() => toggle(c)} />
          {c}
        </label>
      ))}
    </fieldset>
  );
}

/** Page tokens as a stack: the current page is the last one; Previous pops, Next pushes. */
export function usePager() {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  return {
    token: tokens[tokens.length - 1],
    page: tokens.length,
    next: (token: string) => setTokens((t) => [...t, token]),
    previous: () => setTokens((t) => (t.length > 1 ? t.slice(0, -1) : t)),
    reset: () => setTokens([undefined]),
  };
}

export function Pager({
  pager,
  nextToken,
}: {
  pager: ReturnType<typeof usePager>;
  nextToken: string | null | undefined;
}) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <Button onClick={pager.previous} disabled={pager.page === 1}>
        Previous
      </Button>
      <span className="text-zinc-500">Page {pager.page}</span>
      <Button onClick={() => nextToken && pager.next(nextToken)} disabled={!nextToken}>
        Next
      </Button>
    </div>
  );
}

export function Matched({ total }: { total: number | undefined }) {
  if (total === undefined) return null;
  return (
    <span data-testid="matched" className="text-sm text-zinc-500">
      {total} matched
    </span>
  );
}

export function formatValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
