"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import type { Signal } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { inputClass, Muted } from "~/ui/controls";
import { describeSchema, formatValue } from "~/ui/format";
import { templateHref, TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";

const COLUMNS: Column<Signal, string>[] = [
  { key: "Lane", cell: (s) => s.lane },
  { key: "Unit / type", cell: (s) => (s.lane === "metric" ? (s.unit ?? "count") : s.valueType) },
  {
    key: "Allowed values",
    cell: (s) =>
      Array.isArray(s.schema?.enum)
        ? (s.schema.enum as unknown[]).map(formatValue).join(", ")
        : describeSchema(s.schema),
  },
  {
    key: "Produced by",
    cell: (s) =>
      s.templates.length === 0 ? (
        <Muted>no template (pushed only)</Muted>
      ) : (
        // One per line-height of 24 px: wrapped links stay large enough to hit (WCAG 2.5.8).
        <span className="flex flex-wrap gap-x-2">
          {s.templates.map((ref) => (
            <TextLink
              key={ref}
              className="inline-block leading-6"
              href={templateHref(ref.split("@")[0]!)}
            >
              {ref}
            </TextLink>
          ))}
        </span>
      ),
  },
  { key: "Description", cell: (s) => s.description },
];

function Signals() {
  const trpc = useTRPC();
  const state = useListState({
    filters: ["lane"] as const,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Lane", "Unit / type", "Allowed values", "Produced by"],
    sortable: false,
  });
  const list = useQuery({
    ...trpc.signal.list.queryOptions(state.input),
    placeholderData: keepPreviousData,
  });
  return (
    <ResourceList
      title="Signals"
      state={state}
      filters={[
        {
          key: "lane",
          label: "Lane",
          render: (value, set) => (
            <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
              <option value="">both</option>
              <option value="metric">metric</option>
              <option value="property">property</option>
            </select>
          ),
        },
      ]}
      primary={{
        label: "Signal",
        cell: (s) => (
          <>
            <span className="font-mono">{s.name}</span>
            {s.official ? null : <Muted className="ml-2 text-xs">custom</Muted>}
            <div>
              <Muted>{s.label}</Muted>
            </div>
          </>
        ),
      }}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      rowKey={(s) => s.id}
      rowProps={(s) => ({ "data-testid": "signal-row", "data-signal": s.name })}
    />
  );
}

/** The signal catalog: both lanes, with units, types, allowed values and producing templates. */
export function SignalCatalog() {
  return (
    <Suspense>
      <Signals />
    </Suspense>
  );
}
