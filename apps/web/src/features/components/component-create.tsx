"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { cellClass, Field, inputClass, Muted, mutedClass, Table } from "~/ui/controls";
import { componentHref } from "~/ui/links";
import { CreatePage, PlacementFields } from "~/ui/create-form";
import { nameProblem } from "~/ui/names";
import { Checked, Section } from "~/ui/section";
import { templateSignals } from "~/ui/template-signals";

const MAC = /^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/;
const ADDRESS = /^[A-Za-z0-9.:-]+$/;

/**
 * A new component: where it is, which template (with the signals it will report), optionally the
 * system it serves and the role it fills there, the node polling it and its identity fields.
 */
export function ComponentCreate({
  initialLocation = "",
  initialSystem = "",
}: {
  initialLocation?: string;
  initialSystem?: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [label, setLabel] = useState("");
  const [location, setLocation] = useState(initialLocation);
  const [template, setTemplate] = useState("");
  const [version, setVersion] = useState("");
  const [system, setSystem] = useState(initialSystem);
  const [role, setRole] = useState("");
  const [node, setNode] = useState("");
  const [vendor, setVendor] = useState("");
  const [model, setModel] = useState("");
  const [serial, setSerial] = useState("");
  const [mac, setMac] = useState("");
  const [address, setAddress] = useState("");
  const [touched, setTouched] = useState(false);

  const templates = useQuery(trpc.template.list.queryOptions({ page_size: 500 }));
  const family = templates.data?.items.find((t) => t.name === template);
  const templateRef = template ? (version ? `${template}@${version}` : template) : "";
  const chosen = useQuery({
    ...trpc.template.get.queryOptions({ ref: templateRef }),
    enabled: templateRef !== "",
  });
  const systems = useQuery(trpc.system.list.queryOptions({ page_size: 500 }));
  const systemDetail = useQuery({
    ...trpc.system.get.queryOptions({ ref: system }),
    enabled: system !== "",
  });
  const nodes = useQuery(trpc.node.list.queryOptions({ page_size: 500 }));
  const create = useMutation(
    trpc.component.create.mutationOptions({
      onSuccess: (c) => router.push(componentHref(c.path)),
    }),
  );

  const problems = {
    name: nameProblem(name),
    location: location ? null : "required",
    template: template ? null : "required",
    mac: mac && !MAC.test(mac) ? "six hex pairs, e.g. 00:1a:2b:3c:4d:5e" : null,
    address: address && !ADDRESS.test(address) ? "a host name, IPv4 or IPv6 address" : null,
  };
  const valid = Object.values(problems).every((p) => p === null);
  const show = (p: string | null) => (touched ? p : null);

  const submit = () => {
    setTouched(true);
    if (!valid) return;
    create.mutate({
      name,
      location,
      template: templateRef,
      ...(label ? { label } : {}),
      ...(system ? { system } : {}),
      ...(system && role ? { role } : {}),
      ...(node ? { node } : {}),
      ...(vendor ? { vendor } : {}),
      ...(model ? { model } : {}),
      ...(serial ? { serial } : {}),
      ...(mac ? { mac } : {}),
      ...(address ? { address } : {}),
    });
  };

  const signals = chosen.data ? templateSignals(chosen.data.document) : [];
  const roles = systemDetail.data?.roles ?? [];
  const kind = family?.kind;

  return (
    <CreatePage
      what="component"
      width="max-w-5xl"
      onSubmit={submit}
      pending={create.isPending}
      error={create.error ?? chosen.error}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <PlacementFields
          name={name}
          label={label}
          location={location}
          onChange={(field, value) =>
            ({ name: setName, label: setLabel, location: setLocation })[field](value)
          }
          problems={problems}
          show={show}
          placeholders={{ name: "display-1", label: "Front display" }}
        />
        <Checked label="Template" error={show(problems.template)}>
          <select
            aria-label="Template"
            className={inputClass}
            value={template}
            onChange={(e) => {
              setTemplate(e.target.value);
              setVersion("");
            }}
          >
            <option value="">— choose —</option>
            {templates.data?.items.map((t) => (
              <option key={t.name} value={t.name}>
                {`${t.name} — ${t.label} (${t.kind})`}
              </option>
            ))}
          </select>
        </Checked>
        {family && family.versions > 1 ? (
          <Field label="Template version">
            <select
              aria-label="Template version"
              className={inputClass}
              value={version}
              onChange={(e) => setVersion(e.target.value)}
            >
              <option value="">latest (v{family.latestVersion})</option>
              {Array.from({ length: family.latestVersion }, (_, i) => i + 1).map((v) => (
                <option key={v} value={String(v)}>
                  v{v}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label="System">
          <select
            aria-label="System"
            className={inputClass}
            value={system}
            onChange={(e) => {
              setSystem(e.target.value);
              setRole("");
            }}
          >
            <option value="">— none —</option>
            {systems.data?.items.map((s) => (
              <option key={s.id} value={s.path}>
                {`${s.path} (${s.type})`}
              </option>
            ))}
            {system && systems.data && !systems.data.items.some((s) => s.path === system) ? (
              <option value={system}>{system}</option>
            ) : null}
          </select>
        </Field>
        {system ? (
          <Field label="Role it fills">
            <select
              aria-label="Role it fills"
              className={inputClass}
              value={role}
              onChange={(e) => setRole(e.target.value)}
            >
              <option value="">— none —</option>
              {roles.map((r) => (
                <option
                  key={r.id}
                  value={r.name}
                  disabled={kind ? !r.accepts.includes(kind) : false}
                >
                  {`${r.name} (accepts ${r.accepts.join(", ")})`}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <Field label="Node">
          <select
            aria-label="Node"
            className={inputClass}
            value={node}
            onChange={(e) => setNode(e.target.value)}
          >
            <option value="">— none yet —</option>
            {nodes.data?.items.map((n) => (
              <option key={n.id} value={n.name}>
                {`${n.name} (${n.location.path})`}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Vendor">
          <input
            className={inputClass}
            value={vendor}
            onChange={(e) => setVendor(e.target.value)}
          />
        </Field>
        <Field label="Model">
          <input className={inputClass} value={model} onChange={(e) => setModel(e.target.value)} />
        </Field>
        <Field label="Serial">
          <input
            className={inputClass}
            value={serial}
            onChange={(e) => setSerial(e.target.value)}
          />
        </Field>
        <Checked label="MAC" error={problems.mac}>
          <input
            className={inputClass}
            value={mac}
            onChange={(e) => setMac(e.target.value)}
            placeholder="00:1a:2b:3c:4d:5e"
          />
        </Checked>
        <Checked label="Address" error={problems.address}>
          <input
            className={inputClass}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="10.0.0.21"
          />
        </Checked>
      </div>
      {chosen.data ? (
        <Section
          title={`It will report (${chosen.data.name}@${chosen.data.version}, ${chosen.data.kind})`}
        >
          <p className={`text-sm ${mutedClass}`}>{chosen.data.description}</p>
          <Table head={["Signal", "Function", "Interface", "Every"]}>
            {signals.map((s) => (
              <tr
                key={`${s.function}/${s.signal}/${s.instance ?? ""}`}
                data-testid="template-signal"
              >
                <td className={cellClass}>
                  <span className="font-mono">{s.signal}</span>
                  {s.instance ? <Muted> [{s.instance}]</Muted> : null}
                </td>
                <td className={cellClass}>{s.function}</td>
                <td className={cellClass}>{s.interface}</td>
                <td className={cellClass}>{s.interval}</td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}
    </CreatePage>
  );
}
