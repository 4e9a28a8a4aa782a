"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Checked, linkClass, LocationSelect, nameProblem, panelClass } from "./estate-ui";
import { currentWork, Liveness, NODE_REFRESH_MS, nodeHref } from "./node-detail";
import { useNow } from "./time";
import { useTRPC } from "./trpc";
import {
  Button,
  cellClass,
  ErrorText,
  Field,
  inputClass,
  IssuedToken,
  PageHeader,
  Table,
} from "./ui";

/** Edge nodes: where they are, enrolled or pending, last seen; create one with its token shown once. */
export function NodeList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const now = useNow(1_000);
  const list = useQuery({
    ...trpc.node.list.queryOptions({ page_size: 500 }),
    refetchInterval: NODE_REFRESH_MS,
  });
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
        void queryClient.invalidateQueries({ queryKey: trpc.node.list.queryKey() });
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
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title="Nodes">
        <span className="text-sm text-zinc-500">
          {list.data ? `${list.data.items.length} nodes` : null}
        </span>
      </PageHeader>
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
      <ErrorText error={list.error} />
      <Table
        head={[
          "Node",
          "Location",
          "Liveness",
          "Current work",
          "Last error",
          "Rejected",
          "Interfaces",
        ]}
      >
        {list.data?.items.map((n) => (
          <tr key={n.id} data-testid="node-row" data-name={n.name}>
            <td className={cellClass}>
              <Link className={linkClass} href={nodeHref(n.name)}>
                {n.name}
              </Link>
              {n.label ? <span className="ml-2 text-zinc-500">{n.label}</span> : null}
              {n.disabled ? <span className="ml-2 text-red-700">disabled</span> : null}
            </td>
            <td className={cellClass}>{n.location.path}</td>
            <td className={cellClass}>
              <Liveness node={n} now={now} />
              {n.status === "pending" ? (
                <span className="text-xs text-zinc-500">
                  pending enrollment
                  {n.enrollment
                    ? `: token ${n.enrollment.prefix}… ${n.enrollment.expired ? "expired" : "outstanding"}`
                    : ""}
                </span>
              ) : null}
            </td>
            <td className={cellClass}>
              {currentWork(n) ?? <span className="text-zinc-500">—</span>}
            </td>
            <td className={cellClass}>
              {n.liveness.heartbeat?.lastError ? (
                <span
                  className="text-red-700 dark:text-red-300"
                  title={n.liveness.heartbeat.lastError.at}
                >
                  {n.liveness.heartbeat.lastError.message.slice(0, 120)}
                </span>
              ) : (
                <span className="text-zinc-500">none</span>
              )}
            </td>
            <td className={cellClass} data-testid="rejected">
              {n.liveness.rejected}
            </td>
            <td className={cellClass}>
              <Link className={linkClass} href={`/components?node=${encodeURIComponent(n.name)}`}>
                {n.interfaceCount}
              </Link>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
