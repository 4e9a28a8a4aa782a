"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TemplateChanges, TemplateInterface } from "@omniglass/contracts";
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
import { TextLink } from "~/ui/links";
import { Time } from "~/ui/time";
import { Facts, Section } from "~/ui/section";
import { changeLines, templateSignals } from "~/ui/template-signals";

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
          <p className={`text-sm ${mutedClass}`}>{t.description}</p>
          <Facts
            items={[
              ["Kind", t.kind],
              ["Vendor", t.vendor ?? "generic"],
              ["Model", t.model ?? "generic"],
              ["Official", t.official ? "yes" : "no"],
              [
                "Used by",
                <TextLink
                  key="u"
                  href={`/components?template=${encodeURIComponent(`${name}@${t.version}`)}`}
                >
                  {`${plural(t.components, "component")} on v${t.version}`}
                </TextLink>,
              ],
              ["Published", <Time key="p" value={t.createdAt} />],
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
                      <div className={`text-xs ${mutedClass}`}>{f.description}</div>
                    ) : null}
                  </td>
                  <td className={cellClass}>{f.interface}</td>
                  <td className={cellClass}>{f.interval}</td>
                  <td className={cellClass}>
                    <ul>
                      {f.outputs.map((o) => (
                        <li key={`${o.signal}/${o.instance ?? ""}`}>
                          <span className="font-mono">{o.signal}</span>
                          <span className={mutedClass}>
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
              <p className={`text-sm ${mutedClass}`}>None.</p>
            ) : (
              <Table head={["Rule", "Severity", "Fires when", "For", "Meaning"]}>
                {t.document.rules.map((r) => (
                  <tr key={r.name}>
                    <td className={cellClass}>{r.name}</td>
                    <td className={cellClass}>{r.severity}</td>
                    <td className={cellClass}>
                      <code className="text-xs">{r.fire}</code>
                      {r.clear ? (
                        <div className={`text-xs ${mutedClass}`}>
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
              <p className={`text-sm ${mutedClass}`}>None.</p>
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
        <p className={`text-sm ${mutedClass}`}>Only one version is published.</p>
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
  const shown = changeLines(c).filter(([, names]) => names.length > 0);
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
