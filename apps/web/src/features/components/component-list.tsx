"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import type { Component, System } from "@omniglass/contracts";
import {
  ColumnChooser,
  componentHref,
  linkClass,
  LocationSelect,
  Matched,
  Pager,
  systemHref,
  templateHref,
  useColumns,
  usePager,
} from "./estate-ui";
import { useTRPC } from "./trpc";
import { cellClass, ErrorText, Field, inputClass, PageHeader, Table } from "./ui";

const ORDERS = [
  ["path", "Path"],
  ["name", "Name"],
  ["-created_at", "Newest first"],
  ["created_at", "Oldest first"],
  ["-path", "Path (reverse)"],
  ["-name", "Name (reverse)"],
] as const;
type Order = (typeof ORDERS)[number][0];

const PAGE_SIZE = 50;

function Created({ at }: { at: string }) {
  return <time dateTime={at}>{at.slice(0, 16).replace("T", " ")}</time>;
}

/** The filter string of an estate list: only the terms that are set. */
function filterOf(terms: Record<string, string>): string | undefined {
  const set = Object.entries(terms).filter(([, v]) => v.trim() !== "");
  return set.length ? set.map(([k, v]) => `${k}=${v.trim()}`).join(" ") : undefined;
}

function Controls({ children }: { children: ReactNode }) {
  return (
    <div
      role="search"
      aria-label="Filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
    >
      {children}
    </div>
  );
}

function OrderSelect({ value, onChange }: { value: Order; onChange: (o: Order) => void }) {
  return (
    <Field label="Sort">
      <select
        className={inputClass}
        value={value}
        onChange={(e) => onChange(e.target.value as Order)}
      >
        {ORDERS.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    </Field>
  );
}

const SYSTEM_COLUMNS = ["Type", "Location", "Members", "Created"] as const;

export function SystemList({ initialLocation = "" }: { initialLocation?: string }) {
  const trpc = useTRPC();
  const [location, setLocation] = useState(initialLocation);
  const [type, setType] = useState("");
  const [q, setQ] = useState("");
  const [order, setOrder] = useState<Order>("path");
  const pager = usePager();
  const columns = useColumns("og.columns.systems", SYSTEM_COLUMNS, ["Type", "Location", "Members"]);
  const types = useQuery(trpc.system.listTypes.queryOptions({ page_size: 500 }));
  const list = useQuery({
    ...trpc.system.list.queryOptions({
      filter: filterOf({ location, type }),
      ...(q.trim() ? { q: q.trim() } : {}),
      order_by: order,
      page_size: PAGE_SIZE,
      ...(pager.token ? { page_token: pager.token } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      pager.reset();
    };
  const cell = (s: System, column: (typeof SYSTEM_COLUMNS)[number]) => {
    switch (column) {
      case "Type":
        return s.type;
      case "Location":
        return s.location.path;
      case "Members":
        return s.memberCount;
      case "Created":
        return <Created at={s.createdAt} />;
    }
  };
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title="Systems">
        <div className="flex items-baseline gap-4">
          <Matched total={list.data?.totalSize} />
          <Link href="/systems/new" className={linkClass}>
            New system
          </Link>
        </div>
      </PageHeader>
      <Controls>
        <Field label="Search">
          <input
            className={inputClass}
            type="search"
            value={q}
            onChange={(e) => change(setQ)(e.target.value)}
            placeholder="name or label"
          />
        </Field>
        <Field label="Location">
          <LocationSelect
            value={location}
            onChange={change(setLocation)}
            allowEmpty
            emptyLabel="anywhere"
          />
        </Field>
        <Field label="Type">
          <select
            className={inputClass}
            value={type}
            onChange={(e) => change(setType)(e.target.value)}
          >
            <option value="">any</option>
            {types.data?.items.map((t) => (
              <option key={t.id} value={t.name}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        <OrderSelect value={order} onChange={change(setOrder)} />
      </Controls>
      <ColumnChooser all={SYSTEM_COLUMNS} shown={columns.shown} toggle={columns.toggle} />
      <ErrorText error={list.error} />
      <Table head={["System", ...columns.shown]}>
        {list.data?.items.map((s) => (
          <tr key={s.id} data-testid="system-row" data-path={s.path}>
            <td className={cellClass}>
              <Link className={linkClass} href={systemHref(s.path)}>
                {s.path}
              </Link>
              {s.label ? <span className="ml-2 text-zinc-500">{s.label}</span> : null}
            </td>
            {columns.shown.map((c) => (
              <td key={c} className={cellClass}>
                {cell(s, c)}
              </td>
            ))}
          </tr>
        ))}
      </Table>
      <Pager pager={pager} nextToken={list.data?.nextPageToken} />
    </div>
  );
}

const COMPONENT_COLUMNS = [
  "Kind",
  "Template",
  "Location",
  "Primary system",
  "Vendor",
  "Model",
  "Serial",
  "Address",
  "Created",
] as const;

export function ComponentList({
  initialLocation = "",
  initialSystem = "",
  initialTemplate = "",
  initialNode = "",
}: {
  initialLocation?: string;
  initialSystem?: string;
  initialTemplate?: string;
  initialNode?: string;
}) {
  const trpc = useTRPC();
  const [location, setLocation] = useState(initialLocation);
  const [system, setSystem] = useState(initialSystem);
  const [kind, setKind] = useState("");
  const [template, setTemplate] = useState(initialTemplate);
  const [node, setNode] = useState(initialNode);
  const [q, setQ] = useState("");
  const [order, setOrder] = useState<Order>("path");
  const pager = usePager();
  const columns = useColumns("og.columns.components", COMPONENT_COLUMNS, [
    "Kind",
    "Template",
    "Primary system",
    "Address",
  ]);
  const templates = useQuery(trpc.template.list.queryOptions({ page_size: 500 }));
  const kinds = [...new Set(templates.data?.items.map((t) => t.kind) ?? [])].sort();
  const list = useQuery({
    ...trpc.component.list.queryOptions({
      filter: filterOf({ location, system, kind, template, node }),
      ...(q.trim() ? { q: q.trim() } : {}),
      order_by: order,
      page_size: PAGE_SIZE,
      ...(pager.token ? { page_token: pager.token } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const change =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      pager.reset();
    };
  const cell = (c: Component, column: (typeof COMPONENT_COLUMNS)[number]) => {
    switch (column) {
      case "Kind":
        return c.kind;
      case "Template":
        return (
          <Link className={linkClass} href={templateHref(c.template.name)}>
            {c.template.name}@{c.template.version}
          </Link>
        );
      case "Location":
        return c.location.path;
      case "Primary system":
        return c.primarySystem ? (
          <Link className={linkClass} href={systemHref(c.primarySystem.path)}>
            {c.primarySystem.path}
          </Link>
        ) : null;
      case "Vendor":
        return c.vendor;
      case "Model":
        return c.model;
      case "Serial":
        return c.serial;
      case "Address":
        return c.address ? <span className="font-mono">{c.address}</span> : null;
      case "Created":
        return <Created at={c.createdAt} />;
    }
  };
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title="Components">
        <div className="flex items-baseline gap-4">
          <Matched total={list.data?.totalSize} />
          <Link href="/components/new" className={linkClass}>
            New component
          </Link>
        </div>
      </PageHeader>
      <Controls>
        <Field label="Search">
          <input
            className={inputClass}
            type="search"
            value={q}
            onChange={(e) => change(setQ)(e.target.value)}
            placeholder="name or label"
          />
        </Field>
        <Field label="Location">
          <LocationSelect
            value={location}
            onChange={change(setLocation)}
            allowEmpty
            emptyLabel="anywhere"
          />
        </Field>
        <Field label="Kind">
          <select
            className={inputClass}
            value={kind}
            onChange={(e) => change(setKind)(e.target.value)}
          >
            <option value="">any</option>
            {kinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </Field>
        <Field label="Template">
          <select
            className={inputClass}
            value={template}
            onChange={(e) => change(setTemplate)(e.target.value)}
          >
            <option value="">any</option>
            {templates.data?.items.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="System">
          <input
            className={inputClass}
            value={system}
            onChange={(e) => change(setSystem)(e.target.value)}
            placeholder="system path"
          />
        </Field>
        <Field label="Node">
          <input
            className={inputClass}
            value={node}
            onChange={(e) => change(setNode)(e.target.value)}
            placeholder="node name"
          />
        </Field>
        <OrderSelect value={order} onChange={change(setOrder)} />
      </Controls>
      <ColumnChooser all={COMPONENT_COLUMNS} shown={columns.shown} toggle={columns.toggle} />
      <ErrorText error={list.error} />
      <Table head={["Component", ...columns.shown]}>
        {list.data?.items.map((c) => (
          <tr key={c.id} data-testid="component-row" data-path={c.path}>
            <td className={cellClass}>
              <Link className={linkClass} href={componentHref(c.path)}>
                {c.path}
              </Link>
              {c.label ? <span className="ml-2 text-zinc-500">{c.label}</span> : null}
            </td>
            {columns.shown.map((col) => (
              <td key={col} className={cellClass}>
                {cell(c, col)}
              </td>
            ))}
          </tr>
        ))}
      </Table>
      <Pager pager={pager} nextToken={list.data?.nextPageToken} />
    </div>
  );
}
