"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Node } from "@omniglass/contracts";
import { Suspense, useState, type FormEvent } from "react";
import { useTRPC } from "~/client/trpc";
import {
  Button,
  ErrorText,
  Field,
  inputClass,
  IssuedToken,
  mutedClass,
  Muted,
} from "~/ui/controls";
import { LocationLink, nodeHref, TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { LocationSelect } from "~/ui/location-select";
import { ResourceList, type Column } from "~/ui/resource-list";
import { nameProblem } from "~/ui/names";
import { Checked, panelClass } from "~/ui/section";
import { currentWork, Liveness, NODE_REFRESH_MS } from "./node-detail";

/** A new node, with its enrollment token shown once. */
function NewNode({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [label, setLabel] = useState("");
  const [location, setLocation] = useState("");
  const [hours, setHours] = useState(24);
  const [issued, setIssued] = useState<{ node: string; token: string } | null>(null);
  const create = useMutation(
    trpc.node.create.mutationOptions({
      onSuccess: (n) => {
        setIssued({ node: n.name, token: n.enrollmentToken });
        setName("");
        setLabel("");
        onCreated();
      },
    }),
  );
  const problem = name ? nameProblem(name) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (nameProblem(name) || !location) return;
    create.mutate({ name, location, expiresInHours: hours, ...(label ? { label } : {}) });
  };
  return (
    <>
      <form onSubmit={submit} aria-label="New node" className={panelClass}>
        <Checked label="Name" error={problem}>
          <input
            className={inputClass}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="edge-hq-1"
          />
        </Checked>
        <Field label="Label">
          <input className={inputClass} value={label} onChange={(e) => setLabel(e.target.value)} />
        </Field>
        <Field label="Location">
          <LocationSelect value={location} onChange={setLocation} />
        </Field>
        <Field label="Token valid (hours)">
          <input
            className={`${inputClass} w-24`}
            type="number"
            min={1}
            max={720}
            value={hours}
            onChange={(e) => setHours(Number(e.target.value))}
          />
        </Field>
        <Button
          type="submit"
          variant="primary"
          disabled={create.isPending || !name || !!problem || !location}
        >
          Create node
        </Button>
        <ErrorText error={create.error} />
      </form>
      {issued ? (
        <div className="flex flex-col gap-1">
          <p className="text-sm">
            Enrollment token for <span className="font-medium">{issued.node}</span>:
          </p>
          <IssuedToken token={issued.token} onDismiss={() => setIssued(null)} />
        </div>
      ) : null}
    </>
  );
}

const COLUMNS: Column<Node, string>[] = [
  { key: "Location", cell: (n) => <LocationLink path={n.location.path} /> },
  {
    key: "Liveness",
    cell: (n) => (
      <>
        <Liveness node={n} />
        {n.status === "pending" ? (
          <span className={`text-xs ${mutedClass}`}>
            pending enrollment
            {n.enrollment
              ? `: token ${n.enrollment.prefix}… ${n.enrollment.expired ? "expired" : "outstanding"}`
              : ""}
          </span>
        ) : null}
      </>
    ),
  },
  { key: "Current work", cell: (n) => currentWork(n) ?? <Muted>—</Muted> },
  {
    key: "Last error",
    cell: (n) =>
      n.liveness.heartbeat?.lastError ? (
        <span className="text-red-700 dark:text-red-300" title={n.liveness.heartbeat.lastError.at}>
          {n.liveness.heartbeat.lastError.message.slice(0, 120)}
        </span>
      ) : (
        <Muted>none</Muted>
      ),
  },
  { key: "Rejected", cell: (n) => <span data-testid="rejected">{n.liveness.rejected}</span> },
  {
    key: "Interfaces",
    cell: (n) => (
      <TextLink href={`/components?node=${encodeURIComponent(n.name)}`}>
        {n.interfaceCount}
      </TextLink>
    ),
  },
];

function Nodes() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const state = useListState({
    filters: ["location"] as const,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: COLUMNS.map((c) => c.key),
    orders: ["name", "-name", "-created_at", "created_at"],
  });
  const list = useQuery({
    ...trpc.node.list.queryOptions(state.input),
    refetchInterval: NODE_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  return (
    <ResourceList
      title="Nodes"
      before={
        <NewNode
          onCreated={() =>
            void queryClient.invalidateQueries({ queryKey: trpc.node.list.queryKey() })
          }
        />
      }
      state={state}
      filters={[
        {
          key: "location",
          label: "Location",
          render: (value, set) => (
            <LocationSelect value={value} onChange={set} allowEmpty emptyLabel="anywhere" />
          ),
        },
      ]}
      primary={{
        label: "Node",
        cell: (n) => (
          <>
            <TextLink href={nodeHref(n.name)}>{n.name}</TextLink>
            {n.label ? <Muted className="ml-2">{n.label}</Muted> : null}
            {n.disabled ? (
              <span className="ml-2 text-red-700 dark:text-red-300">disabled</span>
            ) : null}
          </>
        ),
      }}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      rowKey={(n) => n.id}
      rowProps={(n) => ({ "data-testid": "node-row", "data-name": n.name })}
    />
  );
}

/** Edge nodes: where they are, enrolled or pending, last seen; create one with its token shown once. */
export function NodeList() {
  return (
    <Suspense>
      <Nodes />
    </Suspense>
  );
}
