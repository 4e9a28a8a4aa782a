"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import type { System } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { inputClass } from "~/ui/controls";
import { LocationLink, systemHref, TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { LocationSelect } from "~/ui/location-select";
import { placedRows, ResourceList, type Column } from "~/ui/resource-list";
import { HealthBadge } from "~/ui/health-badge";
import { Time } from "~/ui/time";

const FILTERS = ["location", "type", "health"] as const;
const COLUMNS: Column<System, string>[] = [
  { key: "Health", cell: (s) => <HealthBadge health={s.health} ownerId={s.id} /> },
  { key: "Type", cell: (s) => s.type },
  { key: "Location", cell: (s) => <LocationLink path={s.location.path} /> },
  { key: "Members", cell: (s) => s.memberCount },
  { key: "Created", cell: (s) => <Time value={s.createdAt} /> },
];

function Systems() {
  const trpc = useTRPC();
  const state = useListState({
    filters: FILTERS,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Health", "Type", "Location", "Members"],
  });
  const types = useQuery(trpc.system.listTypes.queryOptions({ page_size: 500 }));
  const list = useQuery({
    ...trpc.system.list.queryOptions(state.input),
    placeholderData: keepPreviousData,
  });
  return (
    <ResourceList
      title="Systems"
      freshness={{ updatedAt: list.dataUpdatedAt, failed: list.isError }}
      actions={<TextLink href="/systems/new">New system</TextLink>}
      state={state}
      filters={[
        {
          key: "location",
          label: "Location",
          render: (value, set) => (
            <LocationSelect value={value} onChange={set} allowEmpty emptyLabel="anywhere" />
          ),
        },
        {
          key: "type",
          label: "Type",
          render: (value, set) => (
            <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
              <option value="">any</option>
              {types.data?.items.map((t) => (
                <option key={t.id} value={t.name}>
                  {t.label}
                </option>
              ))}
            </select>
          ),
        },
        {
          key: "health",
          label: "Health",
          render: (value, set) => (
            <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
              <option value="">any</option>
              <option value="outage,degraded">outage or degraded</option>
              {["outage", "degraded", "unknown", "incomplete", "healthy"].map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          ),
        },
      ]}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      {...placedRows<System>("System", systemHref, "system-row")}
    />
  );
}

/** Every system you may read; filters, sort, page and columns live in the URL. */
export function SystemList() {
  return (
    <Suspense>
      <Systems />
    </Suspense>
  );
}
