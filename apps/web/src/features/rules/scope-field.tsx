"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { inputClass } from "~/ui/controls";
import { LocationSelect } from "~/ui/location-select";
import { Checked } from "~/ui/section";
import type { Rule } from "./rule-format";

/** A rule's scope kind as the API has it (a kind this form does not offer is shown as it is). */
export type ScopeKind = Rule["scope"]["kind"];

const KINDS: [ScopeKind, string][] = [
  ["all", "every component"],
  ["template", "components of a template"],
  ["system-type", "members of systems of a type"],
  ["location", "a location and what is below it"],
  ["owner", "one component"],
];

const REF_LABELS: Partial<Record<ScopeKind, string>> = {
  template: "Template",
  "system-type": "System type",
  location: "Location",
  owner: "Component",
};

/** Where a rule applies: its kind and the template, system type, location or component it names. */
export function ScopeField({
  kind,
  value,
  onChange,
  problem,
  disabled,
}: {
  kind: ScopeKind;
  value: string;
  onChange: (kind: ScopeKind, value: string) => void;
  problem: string | null;
  disabled?: boolean;
}) {
  const trpc = useTRPC();
  const templates = useQuery({
    ...trpc.template.list.queryOptions({ page_size: 500 }),
    enabled: kind === "template",
  });
  const types = useQuery({
    ...trpc.system.listTypes.queryOptions({ page_size: 500 }),
    enabled: kind === "system-type",
  });
  const select = (options: [string, string][], label: string) => (
    <select
      aria-label={label}
      className={inputClass}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(kind, e.target.value)}
    >
      <option value="">— choose —</option>
      {options.map(([v, text]) => (
        <option key={v} value={v}>
          {text}
        </option>
      ))}
      {value && !options.some(([v]) => v === value) ? <option value={value}>{value}</option> : null}
    </select>
  );
  return (
    <div className="flex flex-wrap items-start gap-3">
      <Checked label="Applies to" error={null}>
        <select
          className={inputClass}
          value={kind}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value as ScopeKind, "")}
        >
          {KINDS.map(([k, text]) => (
            <option key={k} value={k}>
              {text}
            </option>
          ))}
          {KINDS.some(([k]) => k === kind) ? null : <option value={kind}>{kind}</option>}
        </select>
      </Checked>
      {kind === "all" ? null : (
        <Checked label={REF_LABELS[kind] ?? kind} error={problem}>
          {kind === "template" ? (
            select(
              (templates.data?.items ?? []).flatMap((t) =>
                Array.from({ length: t.latestVersion }, (_, i): [string, string] => [
                  `${t.name}@${t.latestVersion - i}`,
                  `${t.name}@${t.latestVersion - i}`,
                ]),
              ),
              "Template",
            )
          ) : kind === "system-type" ? (
            select(
              (types.data?.items ?? []).map((t) => [t.name, t.label]),
              "System type",
            )
          ) : kind === "location" ? (
            disabled ? (
              <input className={inputClass} value={value} disabled readOnly />
            ) : (
              <LocationSelect value={value} onChange={(v) => onChange(kind, v)} />
            )
          ) : (
            <input
              className={inputClass}
              value={value}
              disabled={disabled}
              onChange={(e) => onChange(kind, e.target.value)}
              placeholder="component path"
            />
          )}
        </Checked>
      )}
    </div>
  );
}
