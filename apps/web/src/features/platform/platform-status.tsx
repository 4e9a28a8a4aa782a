"use client";

import { useQuery } from "@tanstack/react-query";
import type { DependencyState, Worker } from "@omniglass/contracts";
import { StatusBadge } from "./status-badge";
import { Instant, useNow } from "./time";
import { useTRPC } from "./trpc";

const REFRESH_MS = 2_000;

const LABELS: Record<DependencyState["name"], string> = {
  database: "PostgreSQL",
  nats: "NATS JetStream",
};

/**
 * The system status page: each dependency and each worker with its state, its source and an
 * as-of time, refreshed every two seconds. When an answer cannot be had, the page says unknown
 * and keeps the last answer visible with its age — it never shows a green it cannot back.
 */
export function SystemStatus() {
  const trpc = useTRPC();
  const now = useNow();
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
        <h1 className="text-2xl font-semibold tracking-tight">System status</h1>
        <p className="text-sm text-zinc-500" data-testid="status-as-of">
          {status.data ? (
            <>
              Version {status.data.version} · checked{" "}
              <Instant value={status.data.checkedAt} now={now} />
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
              received <Instant value={new Date(status.dataUpdatedAt).toISOString()} now={now} />
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
                  now={now}
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
                  <p className="mt-2 text-sm text-zinc-500">
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
          <p className="text-xs text-zinc-500">
            Source: worker heartbeats over JetStream, kept in the PostgreSQL worker registry
            {workers.dataUpdatedAt ? (
              <>
                {" "}
                · as of <Instant value={new Date(workers.dataUpdatedAt).toISOString()} now={now} />
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
          now={now}
          unknown={workers.isError || serverUnreachable}
          pending={workers.isPending}
        />
      </section>
    </div>
  );
}

function DependencyCard({
  dependency,
  now,
  unknown,
}: {
  dependency: DependencyState;
  now: Date;
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
        <dt className="text-zinc-500">{dependency.status === "up" ? "Up since" : "Down since"}</dt>
        <dd data-testid="since">
          <Instant value={dependency.since} now={now} />
        </dd>
        <dt className="text-zinc-500">Last seen up</dt>
        <dd data-testid="last-up">
          <Instant value={dependency.lastUpAt} now={now} />
        </dd>
        <dt className="text-zinc-500">Latency</dt>
        <dd>{dependency.latencyMs === null ? "—" : `${dependency.latencyMs} ms`}</dd>
        {dependency.error ? (
          <>
            <dt className="text-zinc-500">Error</dt>
            <dd className="text-red-700 dark:text-red-300" data-testid="error">
              {dependency.error}
            </dd>
          </>
        ) : null}
        <dt className="text-zinc-500">Checked</dt>
        <dd>
          <Instant value={dependency.checkedAt} now={now} />
        </dd>
      </dl>
      <p className="text-xs text-zinc-500">Source: {dependency.source}</p>
    </article>
  );
}

function WorkerTable({
  workers,
  now,
  unknown,
  pending,
}: {
  workers: Worker[] | null;
  now: Date;
  unknown: boolean;
  pending: boolean;
}) {
  if (workers === null) {
    return <p className="text-sm text-zinc-500">{pending ? "Loading…" : "No answer."}</p>;
  }
  if (workers.length === 0) {
    return (
      <p className="text-sm text-zinc-500" data-testid="workers-empty">
        No worker has reported yet. A worker registers with its first heartbeat; start one with{" "}
        <code>npm start</code>.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm">
        <thead className="bg-zinc-100 text-xs uppercase text-zinc-500 dark:bg-zinc-900">
          <tr>
            <th className="px-3 py-2">Worker</th>
            <th className="px-3 py-2">State</th>
            <th className="px-3 py-2">Last seen</th>
            <th className="px-3 py-2">Started</th>
            <th className="px-3 py-2">Consumers (pending / in flight)</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <tr
              key={worker.id}
              data-testid="worker-row"
              data-state={unknown ? "unknown" : worker.state}
              className="border-t border-zinc-200 align-top dark:border-zinc-800"
            >
              <td className="px-3 py-2">
                <div className="font-mono text-xs">{worker.id.slice(0, 8)}</div>
                <div className="text-xs text-zinc-500">
                  {worker.hostname} · pid {worker.pid} · v{worker.version}
                </div>
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={unknown ? "unknown" : worker.state} />
                {worker.lastError ? (
                  <div className="mt-1 text-xs text-red-700 dark:text-red-300">
                    {worker.lastError}
                  </div>
                ) : null}
              </td>
              <td className="px-3 py-2">
                <Instant value={worker.lastSeenAt} now={now} />
              </td>
              <td className="px-3 py-2">
                <Instant value={worker.startedAt} now={now} />
              </td>
              <td className="px-3 py-2">
                {worker.consumers.length === 0 ? (
                  <span className="text-zinc-500">none reported</span>
                ) : (
                  <ul className="flex flex-col gap-0.5">
                    {worker.consumers.map((consumer) => (
                      <li key={`${consumer.stream}/${consumer.name}`} className="font-mono text-xs">
                        {consumer.stream}/{consumer.name}: {consumer.pending} /{" "}
                        {consumer.ackPending}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
