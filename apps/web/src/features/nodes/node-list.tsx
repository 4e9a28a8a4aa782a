"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/client/trpc";
import {
  Button,
  cellClass,
  ErrorText,
  Field,
  inputClass,
  IssuedToken,
  mutedClass,
  PageHeader,
  Table,
} from "~/ui/controls";
import { LocationLink, nodeHref, TextLink } from "~/ui/links";
import { LocationSelect } from "~/ui/location-select";
import { nameProblem } from "~/ui/names";
import { Checked, panelClass } from "~/ui/section";
import { currentWork, Liveness, NODE_REFRESH_MS } from "./node-detail";

/** Edge nodes: where they are, enrolled or pending, last seen; create one with its token shown once. */
export function NodeList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
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
        <span className={`text-sm ${mutedClass}`}>
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
              <TextLink href={nodeHref(n.name)}>{n.name}</TextLink>
              {n.label ? <span className={`ml-2 ${mutedClass}`}>{n.label}</span> : null}
              {n.disabled ? (
                <span className="ml-2 text-red-700 dark:text-red-300">disabled</span>
              ) : null}
            </td>
            <td className={cellClass}>
              <LocationLink path={n.location.path} />
            </td>
            <td className={cellClass}>
              <Liveness node={n} />
              {n.status === "pending" ? (
                <span className={`text-xs ${mutedClass}`}>
                  pending enrollment
                  {n.enrollment
                    ? `: token ${n.enrollment.prefix}… ${n.enrollment.expired ? "expired" : "outstanding"}`
                    : ""}
                </span>
              ) : null}
            </td>
            <td className={cellClass}>
              {currentWork(n) ?? <span className={`${mutedClass}`}>—</span>}
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
                <span className={`${mutedClass}`}>none</span>
              )}
            </td>
            <td className={cellClass} data-testid="rejected">
              {n.liveness.rejected}
            </td>
            <td className={cellClass}>
              <TextLink href={`/components?node=${encodeURIComponent(n.name)}`}>
                {n.interfaceCount}
              </TextLink>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
