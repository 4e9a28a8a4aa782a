"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { useTRPC } from "~/client/trpc";
import { inputClass, Muted } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { SeverityBadge } from "~/ui/severity-badge";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import { ruleHref, scopeText, sustainText, type Rule } from "./rule-format";

const FILTERS = ["severity", "origin", "template", "enabled"] as const;
const COLUMNS: Column<Rule, string>[] = [
  { key: "Severity", cell: (r) => <SeverityBadge severity={r.severity} /> },
  {
    key: "Origin",
    cell: (r) => (r.template ? `template ${r.template.name}@${r.template.version}` : "custom"),
  },
  { key: "Fires", cell: (r) => <code className="font-mono text-xs">{r.fire}</code> },
  { key: "Sustain", cell: (r) => sustainText(r.sustainSeconds) },
  { key: "Scope", cell: (r) => scopeText(r.scope) },
  { key: "Enabled", cell: (r) => (r.enabled ? "enabled" : <Muted>disabled</Muted>) },
  { key: "Updated", cell: (r) => <Time value={r.updatedAt} /> },
];

function Rules() {
  const trpc = useTRPC();
  const can = useCan();
  const state = useListState({
    filters: FILTERS,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Severity", "Origin", "Fires", "Sustain", "Scope", "Enabled"],
    orders: ["name", "-name", "-created_at", "created_at"],
  });
  const templates = useQuery(trpc.template.list.queryOptions({ page_size: 500 }));
  const list = useQuery({
    ...trpc.rule.list.queryOptions(state.input),
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
  const templateNames = [...new Set(templates.data?.items.map((t) => t.name) ?? [])].sort();
  return (
    <ResourceList
      title="Rules"
      actions={can("rule:create") ? <TextLink href="/rules/new">New rule</TextLink> : null}
      state={state}
      filters={[
        {
          key: "severity",
          label: "Severity",
          render: choice([
            ["", "any"],
            ["critical", "critical"],
            ["warning", "warning"],
            ["info", "info"],
          ]),
        },
        {
          key: "origin",
          label: "Origin",
          render: choice([
            ["", "any"],
            ["custom", "custom"],
            ["template", "template"],
            ["builtin", "built-in"],
          ]),
        },
        {
          key: "template",
          label: "Template",
          render: choice([["", "any"], ...templateNames.map((n) => [n, n] as const)]),
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
        label: "Rule",
        cell: (r) => (
          <>
            <TextLink href={ruleHref(r)}>{r.name}</TextLink>
            {r.label ? <Muted className="ml-2">{r.label}</Muted> : null}
          </>
        ),
      }}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      rowKey={(r) => r.id}
      rowProps={(r) => ({ "data-testid": "rule-row", "data-rule": r.name })}
    />
  );
}

/** Every event rule, custom and template; filters, sort, page and columns in the URL. */
export function RuleList() {
  return (
    <Suspense>
      <Rules />
    </Suspense>
  );
}
