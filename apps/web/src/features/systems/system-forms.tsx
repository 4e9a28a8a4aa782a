"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { SystemDetail } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass } from "~/ui/controls";
import { nameProblem } from "~/ui/names";
import { Checked, panelClass } from "~/ui/section";

/** The system page's forms: edit label and type, add a member, add a role. */

export function EditSystem({ system: s, onDone }: { system: SystemDetail; onDone: () => void }) {
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

export function AddMember({ system: s, onDone }: { system: SystemDetail; onDone: () => void }) {
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

export function AddRole({ system: s, onDone }: { system: SystemDetail; onDone: () => void }) {
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
