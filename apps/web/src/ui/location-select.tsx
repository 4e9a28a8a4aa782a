"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { inputClass } from "./controls";

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

/** The path preview of a create form: the path, or what is still missing. */
export function PathPreview({ parent, name }: { parent: string; name: string }) {
  const missing = [!parent ? "a location" : null, !name ? "a name" : null].filter(Boolean);
  return (
    <p
      className="text-sm text-zinc-600 sm:col-span-2 dark:text-zinc-400"
      data-testid="path-preview"
      aria-live="polite"
    >
      {missing.length ? (
        `Choose ${missing.join(" and ")} to see its path.`
      ) : (
        <>
          Its path will be <span className="font-mono">{`${parent}.${name}`}</span>
        </>
      )}
    </p>
  );
}
