"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { useTRPC } from "~/client/trpc";
import { inputClass, Muted } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import {
  recurrenceText,
  windowHref,
  windowScopeText,
  type MaintenanceWindow,
} from "./window-format";

const FILTERS = ["scope", "enabled"] as const;
const COLUMNS: Column<MaintenanceWindow, string>[] = [
  { key: "Scope", cell: (w) => windowScopeText(w.scope) },
  { key: "Starts", cell: (w) => `${w.dtstart.replace("T", " ")} ${w.timeZone}` },
  { key: "Duration", cell: (w) => w.duration },
  {
    key: "Repeats",
    cell: (w) => <code className="font-mono text-xs">{recurrenceText(w.rrule)}</code>,
  },
  {
    key: "Now",
    cell: (w) => (!w.enabled ? <Muted>disabled</Muted> : w.activeNow ? "in force" : "—"),
  },
  { key: "Next", cell: (w) => <Time value={w.nextStart} never="no more" /> },
  { key: "Author", cell: (w) => w.author.name ?? "—" },
  { key: "Updated", cell: (w) => <Time value={w.updatedAt} /> },
];

function Windows() {
  const trpc = useTRPC();
  const can = useCan();
  const state = useListState({
    filters: FILTERS,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Scope", "Starts", "Duration", "Repeats", "Now", "Next"],
    orders: ["name", "-name", "-created_at", "created_at"],
  });
  const list = useQuery({
    ...trpc.maintenanceWindow.list.queryOptions(state.input),
    placeholderData: keepPreviousData,
  });
  const choice =
    (options: readonly (readonly [string, string])[]) =>
    (value: string, set: (v: string) => void) => (
      <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
        {options.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    );
  return (
    <ResourceList
      title="Maintenance windows"
      actions={
        can("maintenance:write") ? <TextLink href="/maintenance/new">New window</TextLink> : null
      }
      state={state}
      filters={[
        {
          key: "scope",
          label: "Scope",
          render: choice([
            ["", "any"],
            ["location", "location"],
            ["system", "system"],
            ["template", "template"],
            ["owner", "one component"],
          ]),
        },
        {
          key: "enabled",
          label: "Enabled",
          render: choice([
            ["", "either"],
            ["true", "enabled"],
            ["false", "disabled"],
          ]),
        },
      ]}
      primary={{
        label: "Window",
        cell: (w) => (
          <>
            <TextLink href={windowHref(w)}>{w.name}</TextLink>
            {w.label ? <Muted className="ml-2">{w.label}</Muted> : null}
          </>
        ),
      }}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      rowKey={(w) => w.id}
      rowProps={(w) => ({ "data-testid": "window-row", "data-window": w.name })}
    />
  );
}

/** Every maintenance window you may read; filters, sort, page and columns in the URL. */
export function WindowList() {
  return (
    <Suspense>
      <Windows />
    </Suspense>
  );
}
