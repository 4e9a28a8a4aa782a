"use client";

import { useQuery } from "@tanstack/react-query";
import type { DependencyState, Worker } from "@omniglass/contracts";
import { mutedClass, Table } from "~/ui/controls";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";
import { useTRPC } from "~/client/trpc";
import { SupervisedProcesses } from "./supervised-processes";

const REFRESH_MS = 2_000;

const LABELS: Record<DependencyState["name"], string> = {
  database: "PostgreSQL",
  nats: "NATS JetStream",
};

/**
 * The platform page (the product's own health, not the estate's systems): each dependency and each worker with its state, its source and an
 * as-of time, refreshed every two seconds. When an answer cannot be had, the page says unknown
 * and keeps the last answer visible with its age — it never shows a green it cannot back.
 */
export function PlatformStatus() {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.platform.getStatus.queryOptions(),
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const workers = useQuery({
    ...trpc.worker.list.queryOptions({ page_size: 100 }),
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const serverUnreachable = status.isError;

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Platform</h1>
        <p className={`text-sm ${mutedClass}`} data-testid="status-as-of">
          {status.data ? (
            <>
              Version {status.data.version} · checked <Time value={status.data.checkedAt} />
            </>
          ) : status.isPending ? (
            "Checking…"
          ) : null}
        </p>
      </header>

      {serverUnreachable ? (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          The web server did not answer ({status.error.message}). Everything below is unknown; the
          values shown are the last answer
          {status.dataUpdatedAt ? (
            <>
              {" "}
              received <Time value={new Date(status.dataUpdatedAt).toISOString()} />
            </>
          ) : null}
          .
        </div>
      ) : null}

      <section aria-labelledby="dependencies-heading" className="flex flex-col gap-3">
        <h2 id="dependencies-heading" className="text-lg font-medium">
          Dependencies
        </h2>
        <div className="grid gap-4 sm:grid-cols-2">
          {status.data
            ? status.data.dependencies.map((dependency) => (
                <DependencyCard
                  key={dependency.name}
                  dependency={dependency}

                  unknown={serverUnreachable}
                />
              ))
            : (["database", "nats"] as const).map((name) => (
                <div
                  key={name}
                  className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
                >
                  <div className="flex items-center justify-between">
                    <span className="font-medium">{LABELS[name]}</span>
                    <StatusBadge status="unknown" />
                  </div>
                  <p className={`mt-2 text-sm ${mutedClass}`}>
                    {status.isPending ? "Checking…" : "No answer from the web server."}
                  </p>
                </div>
              ))}
        </div>
      </section>

      <section aria-labelledby="workers-heading" className="flex flex-col gap-3">
        <div className="flex items-baseline justify-between">
          <h2 id="workers-heading" className="text-lg font-medium">
            Workers
          </h2>
          <p className={`text-xs ${mutedClass}`}>
            Source: worker heartbeats over JetStream, kept in the PostgreSQL worker registry
            {workers.dataUpdatedAt ? (
              <>
                {" "}
                · as of <Time value={new Date(workers.dataUpdatedAt).toISOString()} />
              </>
            ) : null}
          </p>
        </div>
        {workers.isError ? (
          <div
            role="alert"
            data-testid="workers-unknown"
            className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
          >
            Worker states are unknown: {workers.error.message}
            {workers.data ? " The rows below are the last answer, kept for reference." : null}
          </div>
        ) : null}
        <WorkerTable
          workers={workers.data?.items ?? null}

          unknown={workers.isError || serverUnreachable}
          pending={workers.isPending}
        />
      </section>

      {status.data?.supervisor ? (
        <SupervisedProcesses supervisor={status.data.supervisor} unknown={serverUnreachable} />
      ) : null}
    </div>
  );
}

function DependencyCard({
  dependency,
  unknown,
}: {
  dependency: DependencyState;
  unknown: boolean;
}) {
  const shown = unknown ? "unknown" : dependency.status;
  return (
    <article
      data-testid={`dependency-${dependency.name}`}
      data-status={shown}
      className="flex flex-col gap-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center justify-between">
        <h3 className="font-medium">{LABELS[dependency.name]}</h3>
        <StatusBadge status={shown} />
      </div>
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className={`${mutedClass}`}>
          {dependency.status === "up" ? "Up since" : "Down since"}
        </dt>
        <dd data-testid="since">
          <Time value={dependency.since} />
        </dd>
        <dt className={`${mutedClass}`}>Last seen up</dt>
        <dd data-testid="last-up">
          <Time value={dependency.lastUpAt} />
        </dd>
        <dt className={`${mutedClass}`}>Latency</dt>
        <dd>{dependency.latencyMs === null ? "—" : `${dependency.latencyMs} ms`}</dd>
        {dependency.error ? (
          <>
            <dt className={`${mutedClass}`}>Error</dt>
            <dd className="text-red-700 dark:text-red-300" data-testid="error">
              {dependency.error}
            </dd>
          </>
        ) : null}
        <dt className={`${mutedClass}`}>Checked</dt>
        <dd>
          <Time value={dependency.checkedAt} />
        </dd>
      </dl>
      <p className={`text-xs ${mutedClass}`}>Source: {dependency.source}</p>
    </article>
  );
}

function WorkerTable({
  workers,
  unknown,
  pending,
}: {
  workers: Worker[] | null;
  unknown: boolean;
  pending: boolean;
}) {
  if (workers === null) {
    return <p className={`text-sm ${mutedClass}`}>{pending ? "Loading…" : "No answer."}</p>;
  }
  if (workers.length === 0) {
    return (
      <p className={`text-sm ${mutedClass}`} data-testid="workers-empty">
        No worker has reported yet. A worker registers with its first heartbeat; start one with{" "}
        <code>npm start</code>.
      </p>
    );
  }
  return (
    <Table head={["Worker", "State", "Last seen", "Started", "Consumers (pending / in flight)"]}>
      {workers.map((worker) => (
        <tr
          key={worker.id}
          data-testid="worker-row"
          data-state={unknown ? "unknown" : worker.state}
          className="border-t border-zinc-200 align-top dark:border-zinc-800"
        >
          <td className="px-3 py-2">
            <div className="font-mono text-xs">{worker.id.slice(0, 8)}</div>
            <div className={`text-xs ${mutedClass}`}>
              {worker.hostname} · pid {worker.pid} · v{worker.version}
            </div>
          </td>
          <td className="px-3 py-2">
            <StatusBadge status={unknown ? "unknown" : worker.state} />
            {worker.lastError ? (
              <div className="mt-1 text-xs text-red-700 dark:text-red-300">{worker.lastError}</div>
            ) : null}
          </td>
          <td className="px-3 py-2">
            <Time value={worker.lastSeenAt} />
          </td>
          <td className="px-3 py-2">
            <Time value={worker.startedAt} />
          </td>
          <td className="px-3 py-2">
            {worker.consumers.length === 0 ? (
              <span className={`${mutedClass}`}>none reported</span>
            ) : (
              <ul className="flex flex-col gap-0.5">
                {worker.consumers.map((consumer) => (
                  <li key={`${consumer.stream}/${consumer.name}`} className="font-mono text-xs">
                    {consumer.stream}/{consumer.name}: {consumer.pending} / {consumer.ackPending}
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
