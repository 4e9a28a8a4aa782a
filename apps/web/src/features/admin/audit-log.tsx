"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import type { AuditEntry as Contract } from "@omniglass/contracts";

/** An entry as the list procedure returns it. */
type AuditEntry = Omit<Contract, "before" | "after"> & { before?: unknown; after?: unknown };
import { principalHref, TextLink } from "~/ui/links";
import { PAGE_SIZE, useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { Time } from "~/ui/time";
import { useTRPC } from "~/client/trpc";
import { Button, inputClass, mutedClass } from "~/ui/controls";

/** Keys whose value differs between two images, for the before/after view. */
function changedKeys(before: unknown, after: unknown): string[] {
  const b = (before ?? {}) as Record<string, unknown>;
  const a = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
}

/** Who acted: the principal's name (linked), "the platform" for its own work. */
function Who({
  entry,
  names,
}: {
  entry: { actorId: string | null; actorName?: string | null };
  names: Map<string, string>;
}) {
  if (!entry.actorId)
    return (
      <span data-testid="audit-who" className={mutedClass}>
        the platform
      </span>
    );
  const name = entry.actorName ?? names.get(entry.actorId);
  return (
    <span data-testid="audit-who">
      <TextLink href={principalHref(entry.actorId)}>
        {name ?? <span className="font-mono text-xs">{entry.actorId.slice(0, 8)}</span>}
      </TextLink>
    </span>
  );
}

/** The before/after of one entry's changed keys. */
function Diff({ entry }: { entry: AuditEntry }) {
  const before = entry.before as Record<string, unknown> | null;
  const after = entry.after as Record<string, unknown> | null;
  return (
    <div className="mt-2 grid gap-2 sm:grid-cols-2" data-testid="audit-diff">
      {changedKeys(entry.before, entry.after).map((key) => (
        <div
          key={key}
          className="col-span-full grid grid-cols-[8rem_1fr_1fr] gap-2 font-mono text-xs"
        >
          <span className={mutedClass}>{key}</span>
          <span className="break-all text-red-800 dark:text-red-300">
            {JSON.stringify(before?.[key] ?? null)}
          </span>
          <span className="break-all text-emerald-800 dark:text-emerald-300">
            {JSON.stringify(after?.[key] ?? null)}
          </span>
        </div>
      ))}
    </div>
  );
}

const RESOURCES = [
  "location",
  "location-type",
  "principal",
  "grant",
  "token",
  "session",
  "system",
  "component",
  "node",
];
const VERBS = ["create", "update", "delete", "rename", "move", "disable", "enable", "revoke"];
const COLUMN_KEYS = ["Who", "What", "Source", "Changes"] as const;

function Log() {
  const trpc = useTRPC();
  const [open, setOpen] = useState<string | null>(null);
  const state = useListState({
    filters: ["resource", "verb"] as const,
    columns: COLUMN_KEYS,
    defaultColumns: COLUMN_KEYS,
    sortable: false,
    searchable: false,
  });
  const { resource, verb } = state.values;
  const log = useQuery({
    ...trpc.audit.list.queryOptions({
      page_size: PAGE_SIZE,
      ...(resource ? { resource } : {}),
      ...(verb ? { verb } : {}),
      ...(state.token ? { page_token: state.token } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  // Names for entries written before the log carried them: one principal read for the page.
  const needsNames = (log.data?.items ?? []).some((e) => e.actorId && !e.actorName);
  const principals = useQuery({
    ...trpc.principal.list.queryOptions({ page_size: 500 }),
    enabled: needsNames,
  });
  const names = new Map(principals.data?.items.map((p) => [p.id, p.name]) ?? []);
  const choice = (options: string[]) => (value: string, set: (v: string) => void) => (
    <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
      <option value="">any</option>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
  const columns: Column<AuditEntry, (typeof COLUMN_KEYS)[number]>[] = [
    { key: "Who", cell: (e) => <Who entry={e} names={names} /> },
    {
      key: "What",
      cell: (e) => (
        <>
          <span className="font-medium">{e.verb}</span> {e.resource}{" "}
          <span className={`font-mono text-xs ${mutedClass}`}>{e.resourceId?.slice(0, 8)}</span>
          {open === e.id ? <Diff entry={e} /> : null}
        </>
      ),
    },
    {
      key: "Source",
      cell: (e) => (
        <>
          {e.source}
          <div className={`font-mono text-xs ${mutedClass}`}>{e.requestId.slice(0, 8)}</div>
        </>
      ),
    },
    {
      key: "Changes",
      cell: (e) => (
        <Button aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
          {open === e.id ? "Hide" : "Show"}
        </Button>
      ),
    },
  ];
  return (
    <ResourceList
      title="Audit log"
      state={state}
      filters={[
        { key: "resource", label: "Resource", render: choice(RESOURCES) },
        { key: "verb", label: "Verb", render: choice(VERBS) },
      ]}
      primary={{ label: "When", cell: (e) => <Time value={e.at} /> }}
      columns={columns}
      result={log.data}
      error={log.error}
      rowKey={(e) => e.id}
      rowProps={() => ({ "data-testid": "audit-row" })}
    />
  );
}

/** Who did what, newest first; filters and the page live in the URL. */
export function AuditLog() {
  return (
    <Suspense>
      <Log />
    </Suspense>
  );
}
