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
import { plural } from "~/ui/format";
import { templateHref, TextLink } from "~/ui/links";

/** The template catalog: one row per family. */
export function TemplateCatalog() {
  const trpc = useTRPC();
  const [kind, setKind] = useState("");
  const [q, setQ] = useState("");
  const all = useQuery(trpc.template.list.queryOptions({ page_size: 500 }));
  const list = useQuery(
    trpc.template.list.queryOptions({
      page_size: 500,
      ...(kind ? { filter: `kind=${kind}` } : {}),
      ...(q.trim() ? { q: q.trim() } : {}),
    }),
  );
  const kinds = [...new Set(all.data?.items.map((t) => t.kind) ?? [])].sort();
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title="Templates">
        <span className={`text-sm ${mutedClass}`}>
          {list.data ? `${list.data.items.length} families` : null}
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
        <Field label="Kind">
          <select className={inputClass} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">any</option>
            {kinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorText error={list.error} />
      <Table
        head={["Template", "Kind", "Vendor / model", "Latest", "Versions", "Official", "Used by"]}
      >
        {list.data?.items.map((t) => (
          <tr key={t.name} data-testid="template-row" data-name={t.name}>
            <td className={cellClass}>
              <TextLink href={templateHref(t.name)}>{t.name}</TextLink>
              <div className={mutedClass}>{t.label}</div>
            </td>
            <td className={cellClass}>{t.kind}</td>
            <td className={cellClass}>
              {[t.vendor, t.model].filter(Boolean).join(" ") || "generic"}
            </td>
            <td className={cellClass}>v{t.latestVersion}</td>
            <td className={cellClass}>{t.versions}</td>
            <td className={cellClass}>{t.official ? "official" : "custom"}</td>
            <td className={cellClass}>
              <TextLink href={`/components?template=${encodeURIComponent(t.name)}`}>
                {plural(t.components, "component")}
              </TextLink>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
