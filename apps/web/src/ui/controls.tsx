"use client";

import type { ReactNode } from "react";

/** Small shared pieces so every page looks and behaves the same. */

/** Secondary text: 4.5:1 or better on every background the console uses, in both themes. */
export const mutedClass = "text-zinc-600 dark:text-zinc-400";

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="flex flex-wrap items-baseline justify-between gap-2">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children}
    </header>
  );
}

export function Button({
  children,
  variant = "default",
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: "default" | "primary" | "danger" }) {
  const styles = {
    default: "border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800",
    primary: "bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900",
    danger:
      "border border-red-300 text-red-800 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950",
  }[variant];
  return (
    <button
      type="button"
      {...props}
      className={`rounded-md px-3 py-1.5 text-sm disabled:opacity-50 ${styles} ${props.className ?? ""}`}
    >
      {children}
    </button>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className={mutedClass}>{label}</span>
      {children}
    </label>
  );
}

export const inputClass =
  "rounded-md border border-zinc-400 bg-transparent px-2 py-1.5 text-sm dark:border-zinc-600";

export function ErrorText({ error }: { error: { message: string } | null | undefined }) {
  if (!error) return null;
  return (
    <p role="status" className="text-sm text-red-700 dark:text-red-300">
      {error.message}
    </p>
  );
}

export function Muted({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <span className={`${mutedClass} ${className}`}>{children}</span>;
}

export function Loading() {
  return <p className={`text-sm ${mutedClass}`}>Loading…</p>;
}

/** A column heading; `{ label, hidden: true }` names a column of buttons for screen readers only. */
export type HeadCell = string | { label: string; hidden: true };

export function Table({ head, children }: { head: HeadCell[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-zinc-100 text-xs uppercase text-zinc-700 dark:bg-zinc-900 dark:text-zinc-300">
          <tr>
            {head.map((h) => {
              const label = typeof h === "string" ? h : h.label;
              return (
                <th key={label} scope="col" className="px-3 py-2">
                  {typeof h === "string" ? h : <span className="sr-only">{h.label}</span>}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

export const cellClass = "border-t border-zinc-200 px-3 py-2 align-top dark:border-zinc-800";

/** A freshly issued secret, shown once: the page keeps it only until the operator dismisses it. */
export function IssuedToken({ token, onDismiss }: { token: string; onDismiss: () => void }) {
  return (
    <div
      role="status"
      data-testid="issued-token"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
    >
      Copy this token now: it is shown once and cannot be read again.
      <code className="mt-1 block break-all font-mono">{token}</code>
      <Button className="mt-2" onClick={onDismiss}>
        I have stored it
      </Button>
    </div>
  );
}
