"use client";

import type { ReactNode } from "react";
import { Field, mutedClass } from "./controls";

/** Page sections, fact lists and checked fields, shared by every detail page and form. */

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
          <dt className={mutedClass}>{term}</dt>
          <dd>{value ?? <span className={mutedClass}>—</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

export const panelClass =
  "flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800";
