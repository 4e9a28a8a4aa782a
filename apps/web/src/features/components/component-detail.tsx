"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ComponentDetail } from "@omniglass/contracts";
import { DeleteDialog, MoveDialog, RenameDialog } from "./estate-dialogs";
import {
  componentHref,
  Facts,
  formatValue,
  linkClass,
  panelClass,
  Section,
  systemHref,
  templateHref,
} from "./estate-ui";
import { ComponentRejections, LiveValuesPanel } from "./live-values";
import { useTRPC } from "./trpc";
import { Button, cellClass, ErrorText, Field, inputClass, PageHeader, Table } from "./ui";

type Dialog = "rename" | "move" | "delete" | null;

/** One component: identity, template pin, interfaces, systems, signals, effective tags/variables. */
export function ComponentDetailView({ componentRef }: { componentRef: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.component.get.queryOptions({ ref: componentRef }));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [editing, setEditing] = useState(false);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.component.pathKey() });
  const goTo = (path: string) => {
    setDialog(null);
    void invalidate();
    router.replace(componentHref(path));
  };
  const rename = useMutation(
    trpc.component.rename.mutationOptions({ onSuccess: (c) => goTo(c.path) }),
  );
  const move = useMutation(trpc.component.move.mutationOptions({ onSuccess: (c) => goTo(c.path) }));
  const remove = useMutation(
    trpc.component.delete.mutationOptions({
      onSuccess: () => {
        void invalidate();
        router.push("/components");
      },
    }),
  );

  if (detail.error) return <ErrorText error={detail.error} />;
  const c = detail.data;
  if (!c) return <p className="text-sm text-zinc-500">Loading…</p>;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={c.label ? `${c.label} (${c.name})` : c.name}>
        <div className="flex gap-2">
          <Button onClick={() => setEditing(!editing)}>Edit</Button>
          <Button onClick={() => setDialog("rename")}>Rename</Button>
          <Button onClick={() => setDialog("move")}>Move</Button>
          <Button variant="danger" onClick={() => setDialog("delete")}>
            Delete
          </Button>
        </div>
      </PageHeader>
      <p className="-mt-4 font-mono text-sm text-zinc-500" data-testid="component-path">
        {c.path}
      </p>
      {editing ? (
        <EditComponent
          component={c}
          onDone={() => {
            setEditing(false);
            void invalidate();
          }}
        />
      ) : null}
      {dialog === "rename" ? (
        <RenameDialog
          what="component"
          path={c.path}
          name={c.name}
          onRename={(name) => rename.mutate({ ref: c.id, name, version: c.version })}
          onClose={() => setDialog(null)}
          state={rename}
        />
      ) : null}
      {dialog === "move" ? (
        <MoveDialog
          what="component"
          path={c.path}
          name={c.name}
          location={c.location.path}
          onMove={(location) => move.mutate({ ref: c.id, location, version: c.version })}
          onClose={() => setDialog(null)}
          state={move}
        />
      ) : null}
      {dialog === "delete" ? (
        <DeleteDialog
          what="component"
          path={c.path}
          name={c.name}
          consequence="It leaves every system it serves, and its collection stops."
          onDelete={() => remove.mutate({ ref: c.id })}
          onClose={() => setDialog(null)}
          state={remove}
        />
      ) : null}

      <Section title="Identity">
        <Facts
          items={[
            ["Kind", c.kind],
            ["Location", c.location.path],
            [
              "Primary system",
              c.primarySystem ? (
                <Link className={linkClass} href={systemHref(c.primarySystem.path)}>
                  {c.primarySystem.path}
                </Link>
              ) : null,
            ],
            ["Vendor", c.vendor],
            ["Model", c.model],
            ["Serial", c.serial],
            ["MAC", c.mac ? <span className="font-mono">{c.mac}</span> : null],
            ["Address", c.address ? <span className="font-mono">{c.address}</span> : null],
            ["Version", c.version],
          ]}
        />
      </Section>

      <LiveValuesPanel componentRef={c.id} componentId={c.id} />
      <ComponentRejections componentRef={c.id} />

      <TemplatePin component={c} onChanged={() => void invalidate()} />

      <Section title="Interfaces">
        <Table head={["Interface", "Protocol", "Host", "Port", "Polled by"]}>
          {c.interfaces.map((i) => (
            <tr key={i.name}>
              <td className={cellClass}>{i.name}</td>
              <td className={cellClass}>{i.protocol}</td>
              <td className={cellClass}>
                {i.host ?? (
                  <span className="text-zinc-500">{c.address ?? "component address"}</span>
                )}
              </td>
              <td className={cellClass}>{i.port ?? "default"}</td>
              <td className={cellClass}>
                {i.node ? i.node.name : <span className="text-zinc-500">no node</span>}
              </td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section title="Systems">
        {c.systems.length === 0 ? (
          <p className="text-sm text-zinc-500">It serves no system.</p>
        ) : (
          <Table head={["System", "Primary", "Role"]}>
            {c.systems.map((s) => (
              <tr key={s.id}>
                <td className={cellClass}>
                  <Link className={linkClass} href={systemHref(s.path)}>
                    {s.path}
                  </Link>
                </td>
                <td className={cellClass}>{s.primary ? "primary" : ""}</td>
                <td className={cellClass}>{s.role ?? ""}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <Section title="Signals">
        <p className="text-sm text-zinc-500">
          What it reports, as {c.template.name}@{c.template.version} declares.
        </p>
        <Table head={["Signal", "Lane", "Unit", "Every", "Function", "Interface"]}>
          {c.signals.map((s) => (
            <tr key={`${s.function}/${s.name}`} data-testid="signal-row" data-signal={s.name}>
              <td className={cellClass}>
                <span className="font-mono">{s.name}</span>
                <span className="ml-2 text-zinc-500">{s.label}</span>
              </td>
              <td className={cellClass}>{s.lane}</td>
              <td className={cellClass}>{s.unit ?? ""}</td>
              <td className={cellClass}>{s.intervalSeconds} s</td>
              <td className={cellClass}>{s.function}</td>
              <td className={cellClass}>{s.interface}</td>
            </tr>
          ))}
        </Table>
      </Section>

      <Explained target={`component.${c.path}`} />
    </div>
  );
}

function EditComponent({
  component: c,
  onDone,
}: {
  component: ComponentDetail;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [values, setValues] = useState({
    label: c.label ?? "",
    vendor: c.vendor ?? "",
    model: c.model ?? "",
    serial: c.serial ?? "",
    mac: c.mac ?? "",
    address: c.address ?? "",
  });
  const update = useMutation(trpc.component.update.mutationOptions({ onSuccess: onDone }));
  const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
  return (
    <form
      aria-label="Edit component"
      className={panelClass}
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({
          ref: c.id,
          version: c.version,
          label: orNull(values.label),
          vendor: orNull(values.vendor),
          model: orNull(values.model),
          serial: orNull(values.serial),
          mac: orNull(values.mac),
          address: orNull(values.address),
        });
      }}
    >
      {(Object.keys(values) as (keyof typeof values)[]).map((key) => (
        <Field key={key} label={key === "mac" ? "MAC" : key[0]!.toUpperCase() + key.slice(1)}>
          <input
            className={inputClass}
            value={values[key]}
            onChange={(e) => setValues({ ...values, [key]: e.target.value })}
          />
        </Field>
      ))}
      <Button type="submit" variant="primary" disabled={update.isPending}>
        Save
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      <ErrorText error={update.error} />
    </form>
  );
}

/** The template pin, and changing version: preview what changes, then apply. */
function TemplatePin({
  component: c,
  onChanged,
}: {
  component: ComponentDetail;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const versions = useQuery(
    trpc.template.listVersions.queryOptions({ ref: c.template.name, page_size: 500 }),
  );
  const [target, setTarget] = useState("");
  const preview = useQuery({
    ...trpc.component.previewTemplateChange.queryOptions({ ref: c.id, template: target }),
    enabled: target !== "",
  });
  const change = useMutation(
    trpc.component.changeTemplate.mutationOptions({
      onSuccess: () => {
        setTarget("");
        onChanged();
      },
    }),
  );
  const p = preview.data;
  const lines: [string, string[]][] = p
    ? [
        ["Signals gained", p.signalsGained],
        ["Signals lost", p.signalsLost],
        ["Interfaces added", p.interfacesAdded],
        ["Interfaces removed", p.interfacesRemoved],
        ["Interfaces changed", p.interfacesChanged],
        ["Functions added", p.functionsAdded],
        ["Functions removed", p.functionsRemoved],
        ["Functions changed", p.functionsChanged],
        ["Rules added", p.rulesAdded],
        ["Rules removed", p.rulesRemoved],
        ["Rules changed", p.rulesChanged],
      ]
    : [];
  return (
    <Section title="Template">
      <p className="text-sm">
        Pinned to{" "}
        <Link className={linkClass} href={templateHref(c.template.name)}>
          {c.template.name}@{c.template.version}
        </Link>
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Change version">
          <select className={inputClass} value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value="">— choose a version —</option>
            {versions.data?.items
              .filter((v) => v.version !== c.template.version)
              .map((v) => (
                <option key={v.id} value={`${v.name}@${v.version}`}>
                  {`v${v.version}${v.label ? ` — ${v.label}` : ""}`}
                </option>
              ))}
          </select>
        </Field>
        {versions.data && versions.data.items.length <= 1 ? (
          <span className="text-sm text-zinc-500">This template has one version.</span>
        ) : null}
      </div>
      <ErrorText error={versions.error ?? preview.error} />
      {p ? (
        <div
          data-testid="template-change-preview"
          className="flex flex-col gap-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
        >
          <p>
            Moving from {p.from} to {p.to} changes:
          </p>
          <ul className="list-disc pl-5">
            {lines
              .filter(([, names]) => names.length > 0)
              .map(([title, names]) => (
                <li key={title}>
                  {title}: <span className="font-mono">{names.join(", ")}</span>
                </li>
              ))}
            {p.dependenciesChanged ? <li>Dependencies change</li> : null}
            {lines.every(([, names]) => names.length === 0) && !p.dependenciesChanged ? (
              <li>Nothing the component reports or runs.</li>
            ) : null}
          </ul>
          <div className="flex gap-2">
            <Button
              variant="primary"
              disabled={change.isPending}
              onClick={() => change.mutate({ ref: c.id, template: target, version: c.version })}
            >
              Apply {p.to}
            </Button>
            <Button onClick={() => setTarget("")}>Cancel</Button>
          </div>
          <ErrorText error={change.error} />
        </div>
      ) : null}
    </Section>
  );
}

/** Effective tags and variables of a target, each with where it came from. */
export function Explained({ target }: { target: string }) {
  const trpc = useTRPC();
  const tags = useQuery(trpc.tag.explain.queryOptions({ target }));
  const variables = useQuery(trpc.variable.explain.queryOptions({ target }));
  return (
    <>
      <Section title="Effective tags">
        <ErrorText error={tags.error} />
        {tags.data ? <ExplainTable explanation={tags.data} /> : null}
      </Section>
      <Section title="Effective variables">
        <ErrorText error={variables.error} />
        {variables.data ? <ExplainTable explanation={variables.data} /> : null}
      </Section>
    </>
  );
}

interface Source {
  value?: unknown;
  level: string;
  path: string | null;
}

function ExplainTable({
  explanation,
}: {
  explanation: { items: { key: string; value?: unknown; winner: Source; shadowed: Source[] }[] };
}) {
  if (explanation.items.length === 0) return <p className="text-sm text-zinc-500">None.</p>;
  return (
    <Table head={["Key", "Value", "From", "Overrides"]}>
      {explanation.items.map((item) => (
        <tr key={item.key}>
          <td className={cellClass}>
            <span className="font-mono">{item.key}</span>
          </td>
          <td className={cellClass}>
            <span className="font-mono">{formatValue(item.value)}</span>
          </td>
          <td className={cellClass}>
            {item.winner.level}
            {item.winner.path ? ` ${item.winner.path}` : ""}
          </td>
          <td className={cellClass}>
            {item.shadowed
              .map((s) => `${formatValue(s.value)} (${s.level}${s.path ? ` ${s.path}` : ""})`)
              .join("; ")}
          </td>
        </tr>
      ))}
    </Table>
  );
}
