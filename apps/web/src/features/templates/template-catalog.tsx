"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import type { TemplateSummary } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { inputClass, Muted } from "~/ui/controls";
import { plural } from "~/ui/format";
import { templateHref, TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";

const COLUMNS: Column<TemplateSummary, string>[] = [
  { key: "Kind", cell: (t) => t.kind },
  {
    key: "Vendor / model",
    cell: (t) => [t.vendor, t.model].filter(Boolean).join(" ") || "generic",
  },
  { key: "Latest", cell: (t) => `v${t.latestVersion}` },
  { key: "Versions", cell: (t) => t.versions },
  { key: "Official", cell: (t) => (t.official ? "official" : "custom") },
  {
    key: "Used by",
    cell: (t) => (
      <TextLink href={`/components?template=${encodeURIComponent(t.name)}`}>
        {plural(t.components, "component")}
      </TextLink>
    ),
  },
];

function Templates() {
  const trpc = useTRPC();
  const state = useListState({
    filters: ["kind"] as const,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: COLUMNS.map((c) => c.key),
    sortable: false,
  });
  const all = useQuery(trpc.template.list.queryOptions({ page_size: 500 }));
  const kinds = [...new Set(all.data?.items.map((t) => t.kind) ?? [])].sort();
  const list = useQuery({
    ...trpc.template.list.queryOptions(state.input),
    placeholderData: keepPreviousData,
  });
  return (
    <ResourceList
      title="Templates"
      state={state}
      filters={[
        {
          key: "kind",
          label: "Kind",
          render: (value, set) => (
            <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
              <option value="">any</option>
              {kinds.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          ),
        },
      ]}
      primary={{
        label: "Template",
        cell: (t) => (
          <>
            <TextLink href={templateHref(t.name)}>{t.name}</TextLink>
            <div>
              <Muted>{t.label}</Muted>
            </div>
          </>
        ),
      }}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      rowKey={(t) => t.name}
      rowProps={(t) => ({ "data-testid": "template-row", "data-name": t.name })}
    />
  );
}

/** The template catalog: one row per family, filtered by kind, searched by name or label. */
export function TemplateCatalog() {
  return (
    <Suspense>
      <Templates />
    </Suspense>
  );
}
