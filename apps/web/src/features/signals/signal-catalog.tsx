"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import {
  cellClass,
  ErrorText,
  Field,
  inputClass,
  mutedClass,
  PageHeader,
  Table,
} from "~/ui/controls";
import { describeSchema, formatValue } from "~/ui/format";
import { templateHref, TextLink } from "~/ui/links";

/** The signal catalog: both lanes, with units, types, allowed values and producing templates. */
export function SignalCatalog() {
  const trpc = useTRPC();
  const [lane, setLane] = useState("");
  const [q, setQ] = useState("");
  const list = useQuery(
    trpc.signal.list.queryOptions({
      page_size: 500,
      ...(lane ? { filter: `lane=${lane}` } : {}),
      ...(q.trim() ? { q: q.trim() } : {}),
    }),
  );
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title="Signals">
        <span className={`text-sm ${mutedClass}`}>
          {list.data ? `${list.data.items.length} signals` : null}
        </span>
      </PageHeader>
      <div role="search" aria-label="Filters" className="flex flex-wrap items-end gap-3">
        <Field label="Search">
          <input
            type="search"
            className={inputClass}
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </Field>
        <Field label="Lane">
          <select className={inputClass} value={lane} onChange={(e) => setLane(e.target.value)}>
            <option value="">both</option>
            <option value="metric">metric</option>
            <option value="property">property</option>
          </select>
        </Field>
      </div>
      <ErrorText error={list.error} />
      <Table head={["Signal", "Lane", "Unit / type", "Allowed values", "Produced by"]}>
        {list.data?.items.map((s) => {
          const allowed = Array.isArray(s.schema?.enum) ? (s.schema.enum as unknown[]) : null;
          return (
            <tr key={s.id} data-testid="signal-row" data-signal={s.name}>
              <td className={cellClass}>
                <span className="font-mono">{s.name}</span>
                {s.official ? null : <span className={`ml-2 text-xs ${mutedClass}`}>custom</span>}
                <div className={mutedClass}>{s.label}</div>
              </td>
              <td className={cellClass}>{s.lane}</td>
              <td className={cellClass}>
                {s.lane === "metric" ? (s.unit ?? "count") : s.valueType}
              </td>
              <td className={cellClass}>
                {allowed ? allowed.map(formatValue).join(", ") : describeSchema(s.schema)}
              </td>
              <td className={cellClass}>
                {s.templates.length === 0 ? (
                  <span className={mutedClass}>no template (pushed only)</span>
                ) : (
                  s.templates.map((ref) => (
                    <TextLink key={ref} className="mr-2" href={templateHref(ref.split("@")[0]!)}>
                      {ref}
                    </TextLink>
                  ))
                )}
              </td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
