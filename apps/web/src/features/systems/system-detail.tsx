"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { SystemDetail } from "@omniglass/contracts";
import { Explained } from "./component-detail";
import { DeleteDialog, MoveDialog, RenameDialog } from "./estate-dialogs";
import {
  componentHref,
  Facts,
  Checked,
  linkClass,
  nameProblem,
  panelClass,
  Section,
  systemHref,
} from "./estate-ui";
import { useTRPC } from "./trpc";
import { Button, cellClass, ErrorText, Field, inputClass, PageHeader, Table } from "./ui";

type Dialog = "rename" | "move" | "delete" | null;

/** One system: its roles and who fills them, its members, and edit/rename/move/delete. */
export function SystemDetailView({ systemRef }: { systemRef: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.system.get.queryOptions({ ref: systemRef }));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [editing, setEditing] = useState(false);
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.system.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.component.pathKey() });
  };
  const goTo = (path: string) => {
    setDialog(null);
    invalidate();
    router.replace(systemHref(path));
  };
  const rename = useMutation(
    trpc.system.rename.mutationOptions({ onSuccess: (s) => goTo(s.path) }),
  );
  const move = useMutation(trpc.system.move.mutationOptions({ onSuccess: (s) => goTo(s.path) }));
  const remove = useMutation(
    trpc.system.delete.mutationOptions({
      onSuccess: () => {
        invalidate();
        router.push("/systems");
      },
    }),
  );
  const removeMember = useMutation(
    trpc.system.removeMember.mutationOptions({ onSuccess: invalidate }),
  );
  const deleteRole = useMutation(trpc.system.deleteRole.mutationOptions({ onSuccess: invalidate }));

  if (detail.error) return <ErrorText error={detail.error} />;
  const s = detail.data;
  if (!s) return <p className="text-sm text-zinc-500">Loading…</p>;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={s.label ? `${s.label} (${s.name})` : s.name}>
        <div className="flex gap-2">
          <Button onClick={() => setEditing(!editing)}>Edit</Button>
          <Button onClick={() => setDialog("rename")}>Rename</Button>
          <Button onClick={() => setDialog("move")}>Move</Button>
          <Button variant="danger" onClick={() => setDialog("delete")}>
            Delete
          </Button>
        </div>
      </PageHeader>
      <p className="-mt-4 font-mono text-sm text-zinc-500" data-testid="system-path">
        {s.path}
      </p>
      {editing ? (
        <EditSystem
          system={s}
          onDone={() => {
            setEditing(false);
            invalidate();
          }}
        />
      ) : null}
      {dialog === "rename" ? (
        <RenameDialog
          what="system"
          path={s.path}
          name={s.name}
          onRename={(name) => rename.mutate({ ref: s.id, name, version: s.version })}
          onClose={() => setDialog(null)}
          state={rename}
        />
      ) : null}
      {dialog === "move" ? (
        <MoveDialog
          what="system"
          path={s.path}
          name={s.name}
          location={s.location.path}
          onMove={(location) => move.mutate({ ref: s.id, location, version: s.version })}
          onClose={() => setDialog(null)}
          state={move}
        />
      ) : null}
      {dialog === "delete" ? (
        <DeleteDialog
          what="system"
          path={s.path}
          name={s.name}
          consequence="Its roles go with it; its components stay where they are."
          onDelete={() => remove.mutate({ ref: s.id })}
          onClose={() => setDialog(null)}
          state={remove}
        />
      ) : null}

      <Section title="Identity">
        <Facts
          items={[
            ["Type", s.type],
            ["Location", s.location.path],
            ["Members", s.memberCount],
            ["Version", s.version],
          ]}
        />
      </Section>

      <Section title="Roles">
        <ErrorText error={deleteRole.error} />
        {s.roles.length === 0 ? (
          <p className="text-sm text-zinc-500">No roles: add the slots this system needs filled.</p>
        ) : (
          <Table head={["Role", "Accepts", "Quorum", "Impact", "Filled by", ""]}>
            {s.roles.map((r) => (
              <tr key={r.id} data-testid="role-row" data-role={r.name}>
                <td className={cellClass}>
                  {r.name}
                  {r.label ? <span className="ml-2 text-zinc-500">{r.label}</span> : null}
                </td>
                <td className={cellClass}>{r.accepts.join(", ")}</td>
                <td className={cellClass}>
                  {r.members.length} of {r.quorum}
                  {r.members.length < r.quorum ? (
                    <span className="ml-2 text-amber-700 dark:text-amber-300">below quorum</span>
                  ) : null}
                </td>
                <td className={cellClass}>{r.impact}</td>
                <td className={cellClass}>
                  {r.members.map((m) => (
                    <Link key={m} className={`${linkClass} mr-2`} href={componentHref(m)}>
                      {m}
                    </Link>
                  ))}
                </td>
                <td className={cellClass}>
                  <Button
                    variant="danger"
                    disabled={deleteRole.isPending}
                    onClick={() => {
                      if (window.confirm(`Delete the role ${r.name} of ${s.path}?`))
                        deleteRole.mutate({ ref: s.id, role: r.name });
                    }}
                  >
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
        <AddRole system={s} onDone={invalidate} />
      </Section>

      <Section
        title="Members"
        actions={
          <Link
            className={`${linkClass} text-sm`}
            href={`/components/new?location=${encodeURIComponent(s.location.path)}&system=${encodeURIComponent(s.path)}`}
          >
            Add component here
          </Link>
        }
      >
        <ErrorText error={removeMember.error} />
        {s.members.length === 0 ? (
          <p className="text-sm text-zinc-500">No members yet.</p>
        ) : (
          <Table head={["Component", "Kind", "Template", "Primary", "Role", ""]}>
            {s.members.map((m) => (
              <tr key={m.component.id} data-testid="member-row" data-path={m.component.path}>
                <td className={cellClass}>
                  <Link className={linkClass} href={componentHref(m.component.path)}>
                    {m.component.path}
                  </Link>
                  {m.component.label ? (
                    <span className="ml-2 text-zinc-500">{m.component.label}</span>
                  ) : null}
                </td>
                <td className={cellClass}>{m.kind}</td>
                <td className={cellClass}>{m.template}</td>
                <td className={cellClass}>{m.primary ? "primary" : ""}</td>
                <td className={cellClass}>{m.role ?? ""}</td>
                <td className={cellClass}>
                  <Button
                    disabled={removeMember.isPending}
                    onClick={() => {
                      if (window.confirm(`Remove ${m.component.path} from ${s.path}?`))
                        removeMember.mutate({ ref: s.id, component: m.component.id });
                    }}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
        <AddMember system={s} onDone={invalidate} />
      </Section>

      <Explained target={`system.${s.path}`} />
    </div>
  );
}

function EditSystem({ system: s, onDone }: { system: SystemDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const types = useQuery(trpc.system.listTypes.queryOptions({ page_size: 500 }));
  const [label, setLabel] = useState(s.label ?? "");
  const [type, setType] = useState(s.type);
  const update = useMutation(trpc.system.update.mutationOptions({ onSuccess: onDone }));
  return (
    <form
      aria-label="Edit system"
      className={panelClass}
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({
          ref: s.id,
          label: label.trim() ? label.trim() : null,
          type,
          version: s.version,
        });
      }}
    >
      <Field label="Label">
        <input className={inputClass} value={label} onChange={(e) => setLabel(e.target.value)} />
      </Field>
      <Field label="Type">
        <select className={inputClass} value={type} onChange={(e) => setType(e.target.value)}>
          {types.data?.items.map((t) => (
            <option key={t.id} value={t.name}>
              {t.label}
            </option>
          ))}
          {types.data?.items.some((t) => t.name === type) ? null : (
            <option value={type}>{type}</option>
          )}
        </select>
      </Field>
      <Button type="submit" variant="primary" disabled={update.isPending}>
        Save
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      <ErrorText error={update.error} />
    </form>
  );
}

function AddMember({ system: s, onDone }: { system: SystemDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const [component, setComponent] = useState("");
  const [primary, setPrimary] = useState(false);
  const [role, setRole] = useState("");
  const add = useMutation(
    trpc.system.addMember.mutationOptions({
      onSuccess: () => {
        setComponent("");
        setRole("");
        setPrimary(false);
        onDone();
      },
    }),
  );
  return (
    <form
      aria-label="Add member"
      className={panelClass}
      onSubmit={(e) => {
        e.preventDefault();
        if (component.trim())
          add.mutate({ ref: s.id, component: component.trim(), primary, role: role || null });
      }}
    >
      <Field label="Component path">
        <input
          className={inputClass}
          value={component}
          onChange={(e) => setComponent(e.target.value)}
          placeholder={`${s.location.path}.display-1`}
          required
        />
      </Field>
      <Field label="Role">
        <select className={inputClass} value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="">— none —</option>
          {s.roles.map((r) => (
            <option key={r.id} value={r.name}>
              {r.name}
            </option>
          ))}
        </select>
      </Field>
      <label className="flex items-center gap-2 pb-2 text-sm">
        <input type="checkbox" checked={primary} onChange={(e) => setPrimary(e.target.checked)} />
        primary system
      </label>
      <Button type="submit" disabled={add.isPending}>
        Add member
      </Button>
      <ErrorText error={add.error} />
    </form>
  );
}

function AddRole({ system: s, onDone }: { system: SystemDetail; onDone: () => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [accepts, setAccepts] = useState("");
  const [quorum, setQuorum] = useState(1);
  const [impact, setImpact] = useState<"outage" | "degraded" | "none">("outage");
  const create = useMutation(
    trpc.system.createRole.mutationOptions({
      onSuccess: () => {
        setName("");
        setAccepts("");
        onDone();
      },
    }),
  );
  const kinds = accepts
    .split(/[\s,]+/)
    .map((k) => k.trim())
    .filter(Boolean);
  const problem = name ? nameProblem(name) : null;
  return (
    <form
      aria-label="Add role"
      className={panelClass}
      onSubmit={(e) => {
        e.preventDefault();
        if (!nameProblem(name) && kinds.length)
          create.mutate({ ref: s.id, name, accepts: kinds, quorum, impact });
      }}
    >
      <Checked label="Role name" error={problem}>
        <input
          className={inputClass}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="main-display"
        />
      </Checked>
      <Field label="Accepts kinds">
        <input
          className={inputClass}
          value={accepts}
          onChange={(e) => setAccepts(e.target.value)}
          placeholder="display, projector"
        />
      </Field>
      <Field label="Quorum">
        <input
          className={`${inputClass} w-20`}
          type="number"
          min={0}
          value={quorum}
          onChange={(e) => setQuorum(Number(e.target.value))}
        />
      </Field>
      <Field label="Impact below quorum">
        <select
          className={inputClass}
          value={impact}
          onChange={(e) => setImpact(e.target.value as typeof impact)}
        >
          <option value="outage">outage</option>
          <option value="degraded">degraded</option>
          <option value="none">none</option>
        </select>
      </Field>
      <Button type="submit" disabled={create.isPending || !name || !kinds.length}>
        Add role
      </Button>
      <ErrorText error={create.error} />
    </form>
  );
}
