"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Suspense } from "react";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, inputClass, Muted, mutedClass, Table } from "~/ui/controls";
import { TextLink } from "~/ui/links";
import { useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { Facts, Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { approvalsText, countsLine, planHref, shortId, type PlanResource } from "./plan-format";

const STATUSES = ["pending", "approved", "applied", "stale", "discarded"] as const;

const COLUMNS: Column<PlanResource, string>[] = [
  { key: "Status", cell: (p) => <StatusBadge status={p.status} /> },
  { key: "Planner", cell: (p) => p.planner },
  { key: "Created", cell: (p) => <Time value={p.createdAt} /> },
  {
    key: "Changes",
    cell: (p) => (
      <span data-testid="plan-counts" className="font-mono text-xs">
        {countsLine(p)}
      </span>
    ),
  },
  {
    key: "Approvals",
    cell: (p) =>
      p.approvalsRequired === 0 ? (
        <Muted>not needed</Muted>
      ) : (
        <span className={p.approvals.length > 0 ? "" : "text-amber-800 dark:text-amber-300"}>
          {approvalsText(p)}
        </span>
      ),
  },
  { key: "Subtree", cell: (p) => p.subtree ?? <Muted>the whole estate</Muted> },
  { key: "Base revision", cell: (p) => p.baseRevision },
];

/** The estate's state: revision, lock, last apply, managed objects. */
function EstateState() {
  const trpc = useTRPC();
  const status = useQuery({ ...trpc.estate.status.queryOptions({}), refetchInterval: 10_000 });
  const s = status.data;
  return (
    <Section title="The estate">
      <ErrorText error={status.error} />
      {s ? (
        <Facts
          items={[
            ["State revision", s.revision],
            [
              "Lock",
              s.lock ? (
                <span data-testid="estate-lock" className="text-amber-800 dark:text-amber-300">
                  held by {s.lock.holder} ({s.lock.purpose}) until <Time value={s.lock.expiresAt} />
                  , id <code>{s.lock.lockId}</code>
                </span>
              ) : (
                <span data-testid="estate-lock">free</span>
              ),
            ],
            [
              "Last apply",
              s.lastApply ? (
                <span>
                  <TextLink href={planHref(s.lastApply.planId)}>
                    plan {shortId(s.lastApply.planId)}
                  </TextLink>{" "}
                  by {s.lastApply.by} <Time value={s.lastApply.at} />
                </span>
              ) : (
                <Muted>none yet</Muted>
              ),
            ],
            [
              "Managed by files",
              Object.keys(s.managed).length > 0 ? (
                Object.entries(s.managed)
                  .map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "s"}`)
                  .join(", ")
              ) : (
                <Muted>nothing yet</Muted>
              ),
            ],
          ]}
        />
      ) : null}
    </Section>
  );
}

/** Applied plans, newest first: the history of applies, each linked to its changes. */
function AppliedHistory() {
  const trpc = useTRPC();
  const applied = useQuery(trpc.estate.plans.queryOptions({ status: "applied", page_size: 20 }));
  return (
    <Section title="History of applies">
      <ErrorText error={applied.error} />
      {applied.data?.items.length === 0 ? (
        <p className={`text-sm ${mutedClass}`} data-testid="no-applies">
          Nothing applied yet.
        </p>
      ) : (
        <Table head={["Plan", "Planner", "Planned", "Changes", "Approvals"]}>
          {applied.data?.items.map((p) => (
            <tr key={p.id} data-testid="applied-row" data-plan={p.id}>
              <td className={cellClass}>
                <TextLink href={planHref(p.id)}>{shortId(p.id)}</TextLink>
              </td>
              <td className={cellClass}>{p.planner}</td>
              <td className={cellClass}>
                <Time value={p.createdAt} />
              </td>
              <td className={`${cellClass} font-mono text-xs`}>{countsLine(p)}</td>
              <td className={cellClass}>{approvalsText(p)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

function Plans() {
  const trpc = useTRPC();
  const state = useListState({
    filters: ["status"] as const,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Status", "Planner", "Created", "Changes", "Approvals"],
    sortable: false,
    searchable: false,
  });
  const status = state.values.status;
  const list = useQuery({
    ...trpc.estate.plans.queryOptions({
      page_size: state.input.page_size,
      ...(state.input.page_token ? { page_token: state.input.page_token } : {}),
      ...(STATUSES.includes(status as (typeof STATUSES)[number])
        ? { status: status as (typeof STATUSES)[number] }
        : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const empty = list.data?.items.length === 0 && state.page === 1 && !status;
  return (
    <div className="flex flex-col gap-8">
      <ResourceList
        title="Estate plans"
        freshness={{ updatedAt: list.dataUpdatedAt, failed: list.isError }}
        before={
          <>
            <EstateState />
            {empty ? (
              <p data-testid="plans-empty" className={`text-sm ${mutedClass}`}>
                No plans yet. Write the estate as files (start from{" "}
                <code>pnpm omniglass estate import &gt; estate.yaml</code>), then{" "}
                <code>pnpm omniglass estate plan estate.yaml</code>: the plan shows here for review,
                approval and apply. See docs/guides/estate-as-code.md.
              </p>
            ) : null}
          </>
        }
        state={state}
        filters={[
          {
            key: "status",
            label: "Status",
            render: (value, set) => (
              <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
                <option value="">any status</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            ),
          },
        ]}
        primary={{
          label: "Plan",
          cell: (p) => (
            <TextLink href={planHref(p.id)}>
              <code>{shortId(p.id)}</code>
            </TextLink>
          ),
        }}
        columns={COLUMNS}
        result={list.data}
        error={list.error}
        rowKey={(p) => p.id}
        rowProps={(p) => ({
          "data-testid": "plan-row",
          "data-plan": p.id,
          "data-status": p.status,
        })}
      />
      <div className="mx-auto flex w-full max-w-6xl flex-col gap-4">
        <AppliedHistory />
      </div>
    </div>
  );
}

/** Estate plans: the estate's state, every plan you may read with its status, and the applies. */
export function EstatePlanList() {
  return (
    <Suspense>
      <Plans />
    </Suspense>
  );
}
