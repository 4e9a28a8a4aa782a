"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import type { Component } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { inputClass } from "~/ui/controls";
import { componentHref, LocationLink, systemHref, templateHref, TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { LocationSelect } from "~/ui/location-select";
import { placedRows, ResourceList, type Column } from "~/ui/resource-list";
import { HealthBadge } from "~/ui/health-badge";
import { Time } from "~/ui/time";

const FILTERS = ["location", "system", "kind", "template", "node", "health"] as const;
const COLUMNS: Column<Component, string>[] = [
  { key: "Health", cell: (c) => <HealthBadge health={c.health} ownerId={c.id} /> },
  { key: "Kind", cell: (c) => c.kind },
  {
    key: "Template",
    cell: (c) => (
      <TextLink href={templateHref(c.template.name)}>
        {c.template.name}@{c.template.version}
      </TextLink>
    ),
  },
  { key: "Location", cell: (c) => <LocationLink path={c.location.path} /> },
  {
    key: "Primary system",
    cell: (c) =>
      c.primarySystem ? (
        <TextLink href={systemHref(c.primarySystem.path)}>{c.primarySystem.path}</TextLink>
      ) : null,
  },
  { key: "Vendor", cell: (c) => c.vendor },
  { key: "Model", cell: (c) => c.model },
  { key: "Serial", cell: (c) => c.serial },
  {
    key: "Address",
    cell: (c) => (c.address ? <span className="font-mono">{c.address}</span> : null),
  },
  { key: "Created", cell: (c) => <Time value={c.createdAt} /> },
];

function Components() {
  const trpc = useTRPC();
  const state = useListState({
    filters: FILTERS,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Health", "Kind", "Template", "Primary system", "Address"],
  });
  const templates = useQuery(trpc.template.list.queryOptions({ page_size: 500 }));
  const kinds = [...new Set(templates.data?.items.map((t) => t.kind) ?? [])].sort();
  const list = useQuery({
    ...trpc.component.list.queryOptions(state.input),
    placeholderData: keepPreviousData,
  });
  const choice = (options: string[]) => (value: string, set: (v: string) => void) => (
    <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
      <option value="">any</option>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
  return (
    <ResourceList
      title="Components"
      freshness={{ updatedAt: list.dataUpdatedAt, failed: list.isError }}
      actions={<TextLink href="/components/new">New component</TextLink>}
      state={state}
      filters={[
        {
          key: "location",
          label: "Location",
          render: (value, set) => (
            <LocationSelect value={value} onChange={set} allowEmpty emptyLabel="anywhere" />
          ),
        },
        { key: "kind", label: "Kind", render: choice(kinds) },
        {
          key: "template",
          label: "Template",
          render: choice(templates.data?.items.map((t) => t.name) ?? []),
        },
        { key: "system", label: "System", placeholder: "system path" },
        { key: "node", label: "Node", placeholder: "node name" },
        {
          key: "health",
          label: "Health",
          render: choice(["outage", "degraded", "unknown", "incomplete", "healthy"]),
        },
      ]}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      {...placedRows<Component>("Component", componentHref, "component-row")}
    />
  );
}

/** Every component you may read; filters, sort, page and columns live in the URL. */
export function ComponentList() {
  return (
    <Suspense>
      <Components />
    </Suspense>
  );
}
