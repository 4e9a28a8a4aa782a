"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { TemplateChanges, TemplateInterface } from "@omniglass/contracts";
import { templateSignals } from "./component-create";
import { Facts, formatValue, linkClass, Section, templateHref } from "./estate-ui";
import { useTRPC } from "./trpc";
import { cellClass, ErrorText, Field, inputClass, PageHeader, Table } from "./ui";

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
        <span className="text-sm text-zinc-500">
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
              <Link className={linkClass} href={templateHref(t.name)}>
                {t.name}
              </Link>
              <div className="text-zinc-500">{t.label}</div>
            </td>
            <td className={cellClass}>{t.kind}</td>
            <td className={cellClass}>
              {[t.vendor, t.model].filter(Boolean).join(" ") || "generic"}
            </td>
            <td className={cellClass}>v{t.latestVersion}</td>
            <td className={cellClass}>{t.versions}</td>
            <td className={cellClass}>{t.official ? "official" : "custom"}</td>
            <td className={cellClass}>
              <Link
                className={linkClass}
                href={`/components?template=${encodeURIComponent(t.name)}`}
              >
                {t.components} components
              </Link>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

function interfaceDetail(i: TemplateInterface): string {
  switch (i.protocol) {
    case "icmp":
      return `timeout ${i.timeout}`;
    case "snmp":
      return `port ${i.port}, v${i.version}, community from ${i.community}`;
    case "http":
      return `port ${i.port}${i.tls ? ", TLS" : ""}, auth ${i.auth.scheme}`;
    case "pjlink":
      return `port ${i.port}${i.password ? `, password from ${i.password}` : ""}`;
    case "qrc":
      return `port ${i.port}${i.username ? `, logon from ${i.username}` : ""}`;
    case "text":
      return `port ${i.port}`;
  }
}

/** One template family: pick a version, read its document, compare two versions. */
export function TemplateDetailView({ name }: { name: string }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.template.listVersions.queryOptions({ ref: name, page_size: 500 }));
  const [version, setVersion] = useState("");
  const current = useQuery(
    trpc.template.get.queryOptions({ ref: version ? `${name}@${version}` : name }),
  );
  const t = current.data;
  const all = versions.data?.items.map((v) => v.version).sort((a, b) => a - b) ?? [];
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <PageHeader title={t ? `${t.label} (${name})` : name}>
        <Field label="Version">
          <select
            className={inputClass}
            value={version || String(t?.version ?? "")}
            onChange={(e) => setVersion(e.target.value)}
          >
            {all.map((v) => (
              <option key={v} value={String(v)}>
                v{v}
              </option>
            ))}
          </select>
        </Field>
      </PageHeader>
      <ErrorText error={current.error ?? versions.error} />
      {t ? (
        <>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t.description}</p>
          <Facts
            items={[
              ["Kind", t.kind],
              ["Vendor", t.vendor ?? "generic"],
              ["Model", t.model ?? "generic"],
              ["Official", t.official ? "yes" : "no"],
              ["Components on this version", t.components],
              ["Published", t.createdAt.slice(0, 10)],
            ]}
          />
          <Section title="Interfaces">
            <Table head={["Interface", "Protocol", "Settings", "Timeout"]}>
              {t.document.interfaces.map((i) => (
                <tr key={i.name}>
                  <td className={cellClass}>{i.name}</td>
                  <td className={cellClass}>{i.protocol}</td>
                  <td className={cellClass}>{interfaceDetail(i)}</td>
                  <td className={cellClass}>{i.timeout}</td>
                </tr>
              ))}
            </Table>
          </Section>
          <Section title="Functions">
            <Table head={["Function", "Interface", "Every", "Outputs"]}>
              {t.document.functions.map((f) => (
                <tr key={f.name}>
                  <td className={cellClass}>
                    {f.name}
                    {f.description ? (
                      <div className="text-xs text-zinc-500">{f.description}</div>
                    ) : null}
                  </td>
                  <td className={cellClass}>{f.interface}</td>
                  <td className={cellClass}>{f.interval}</td>
                  <td className={cellClass}>
                    <ul>
                      {f.outputs.map((o) => (
                        <li key={`${o.signal}/${o.instance ?? ""}`}>
                          <span className="font-mono">{o.signal}</span>
                          <span className="text-zinc-500">
                            {" "}
                            ← {o.from}
                            {o.instance ? ` [${o.instance}]` : ""}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </Table>
          </Section>
          <Section title="Signals">
            <p className="flex flex-wrap gap-2 text-sm">
              {[...new Set(templateSignals(t.document).map((s) => s.signal))].map((s) => (
                <span
                  key={s}
                  className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono dark:bg-zinc-800"
                >
                  {s}
                </span>
              ))}
            </p>
          </Section>
          <Section title="Rules">
            {t.document.rules.length === 0 ? (
              <p className="text-sm text-zinc-500">None.</p>
            ) : (
              <Table head={["Rule", "Severity", "Fires when", "For", "Meaning"]}>
                {t.document.rules.map((r) => (
                  <tr key={r.name}>
                    <td className={cellClass}>{r.name}</td>
                    <td className={cellClass}>{r.severity}</td>
                    <td className={cellClass}>
                      <code className="text-xs">{r.fire}</code>
                      {r.clear ? (
                        <div className="text-xs text-zinc-500">
                          clears: <code>{r.clear}</code>
                        </div>
                      ) : null}
                    </td>
                    <td className={cellClass}>{r.for ?? ""}</td>
                    <td className={cellClass}>{r.description}</td>
                  </tr>
                ))}
              </Table>
            )}
          </Section>
          <Section title="Dependencies">
            {t.document.dependencies.length === 0 ? (
              <p className="text-sm text-zinc-500">None.</p>
            ) : (
              <ul className="list-disc pl-5 text-sm">
                {t.document.dependencies.map((d) => (
                  <li key={d.kind}>
                    <span className="font-medium">{d.kind}</span>: {d.reason}
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </>
      ) : null}
      <Compare name={name} versions={all} />
    </div>
  );
}

function Compare({ name, versions }: { name: string; versions: number[] }) {
  const trpc = useTRPC();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const enabled = from !== "" && to !== "" && from !== to;
  const compared = useQuery({
    ...trpc.template.compare.queryOptions({ ref: `${name}@${from}`, to: `${name}@${to}` }),
    enabled,
  });
  const pick = (value: string, set: (v: string) => void, label: string) => (
    <Field label={label}>
      <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
        <option value="">—</option>
        {versions.map((v) => (
          <option key={v} value={String(v)}>
            v{v}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <Section title="What changed">
      {versions.length < 2 ? (
        <p className="text-sm text-zinc-500">Only one version is published.</p>
      ) : (
        <div className="flex flex-wrap items-end gap-3">
          {pick(from, setFrom, "From")}
          {pick(to, setTo, "To")}
        </div>
      )}
      <ErrorText error={compared.error} />
      {enabled && compared.data ? <ChangeList changes={compared.data} /> : null}
    </Section>
  );
}

export function ChangeList({ changes: c }: { changes: TemplateChanges }) {
  const lines: [string, string[]][] = [
    ["Signals gained", c.signalsGained],
    ["Signals lost", c.signalsLost],
    ["Interfaces added", c.interfacesAdded],
    ["Interfaces removed", c.interfacesRemoved],
    ["Interfaces changed", c.interfacesChanged],
    ["Functions added", c.functionsAdded],
    ["Functions removed", c.functionsRemoved],
    ["Functions changed", c.functionsChanged],
    ["Rules added", c.rulesAdded],
    ["Rules removed", c.rulesRemoved],
    ["Rules changed", c.rulesChanged],
  ];
  const shown = lines.filter(([, names]) => names.length > 0);
  return (
    <ul className="list-disc pl-5 text-sm" data-testid="template-changes">
      {shown.map(([title, names]) => (
        <li key={title}>
          {title}: <span className="font-mono">{names.join(", ")}</span>
        </li>
      ))}
      {c.dependenciesChanged ? <li>Dependencies changed</li> : null}
      {shown.length === 0 && !c.dependenciesChanged ? <li>No differences.</li> : null}
    </ul>
  );
}

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
        <span className="text-sm text-zinc-500">
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
                {s.official ? null : <span className="ml-2 text-xs text-zinc-500">custom</span>}
                <div className="text-zinc-500">{s.label}</div>
              </td>
              <td className={cellClass}>{s.lane}</td>
              <td className={cellClass}>
                {s.lane === "metric" ? (s.unit ?? "count") : s.valueType}
              </td>
              <td className={cellClass}>
                {allowed ? (
                  allowed.map(formatValue).join(", ")
                ) : s.schema ? (
                  <code className="text-xs">{JSON.stringify(s.schema)}</code>
                ) : (
                  ""
                )}
              </td>
              <td className={cellClass}>
                {s.templates.map((ref) => (
                  <Link
                    key={ref}
                    className={`${linkClass} mr-2`}
                    href={templateHref(ref.split("@")[0]!)}
                  >
                    {ref}
                  </Link>
                ))}
              </td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
