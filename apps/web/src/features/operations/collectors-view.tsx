"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { CollectorView, WorkerView } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { cellClass, mutedClass, Table } from "~/ui/controls";
import { formatDuration } from "~/ui/format";
import { Time } from "~/ui/time";
import { SourceLine, StaleWarning, useFreshness } from "./freshness";
import { StateBadge } from "./state-badge";
import { REFRESH_MS, useLiveRefresh } from "./use-live-refresh";

/** No heartbeat stored for this long: the heartbeat source itself (NATS, presence lane) is down. */
const SOURCE_DOWN_MS = 30_000;

/**
 * Collectors (nodes) and workers: each with its derived state and why, last activity with its
 * age, current work, the dependency it uses and its last error (GET /collectors). Read every few
 * seconds and again when the live connection reopens; an answer that is old, or heartbeats that
 * stopped arriving altogether, are said to be stale with their age — never shown green.
 */
export function CollectorsView() {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.operations.collectors.queryOptions(),
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const live = useLiveRefresh(() => void query.refetch());
  const report = query.data ?? null;
  const fresh = useFreshness({
    asOf: report?.asOf ?? null,
    updatedAt: query.dataUpdatedAt,
    failed: query.isError,
    newestBeatAt: report?.newestHeartbeatAt ?? null,
  });
  const sourceDown = fresh.beatAgeMs !== null && fresh.beatAgeMs > SOURCE_DOWN_MS;
  const confirmed = fresh.confirmed && !sourceDown;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Collectors &amp; workers</h1>
        <SourceLine
          source={report?.source ?? null}
          asOf={report?.asOf ?? null}
          live={live}
          testId="collectors-source"
        />
      </header>
      <StaleWarning
        failed={query.isError}
        error={query.error?.message ?? null}
        answerAgeMs={fresh.answerAgeMs}
        beatAgeMs={fresh.beatAgeMs}
        beatStaleMs={SOURCE_DOWN_MS}
      />
      {report ? (
        <p className={`text-sm ${mutedClass}`} data-testid="collectors-counts">
          {Object.entries(report.counts)
            .filter(([, n]) => n > 0)
            .map(([state, n]) => `${n} ${state}`)
            .join(" · ") || "nothing to show"}
        </p>
      ) : null}

      <section aria-labelledby="collectors-heading" className="flex flex-col gap-2">
        <h2 id="collectors-heading" className="text-lg font-medium">
          Collectors
        </h2>
        {!report ? (
          <p className={`text-sm ${mutedClass}`}>{query.isPending ? "Loading…" : "No answer."}</p>
        ) : report.collectors.length === 0 ? (
          <p className={`text-sm ${mutedClass}`} data-testid="collectors-empty">
            No node in your scope. Create one under <Link href="/nodes">Nodes</Link>.
          </p>
        ) : (
          <Table
            head={["Node", "State", "Last activity", "Current work", "Dependency", "Last error"]}
          >
            {report.collectors.map((c) => (
              <CollectorRow key={c.id} row={c} confirmed={confirmed} />
            ))}
          </Table>
        )}
      </section>

      <section aria-labelledby="workers-heading" className="flex flex-col gap-2">
        <h2 id="workers-heading" className="text-lg font-medium">
          Workers
        </h2>
        {!report ? null : !report.workersVisible ? (
          <p className={`text-sm ${mutedClass}`}>
            Workers are shown with the worker:read permission.
          </p>
        ) : report.workers.length === 0 ? (
          <p className={`text-sm ${mutedClass}`} data-testid="workers-empty">
            No worker has reported in the last week: nothing runs the clock jobs or stores
            heartbeats. Start one with <code>npm start</code>.
          </p>
        ) : (
          <Table
            head={["Worker", "State", "Last activity", "Current work", "Dependency", "Last error"]}
          >
            {report.workers.map((w) => (
              <WorkerRow key={w.id} row={w} confirmed={confirmed} />
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}

function Verdict({
  state,
  reason,
  since,
  confirmed,
}: {
  state: CollectorView["state"];
  reason: string;
  since: string | null;
  confirmed: boolean;
}) {
  return (
    <div className="flex flex-col gap-1">
      <StateBadge state={state} unconfirmed={!confirmed} />
      <span className="text-xs" data-testid="reason">
        {reason}
      </span>
      {since ? (
        <span className={`text-xs ${mutedClass}`}>
          since <Time value={since} />
        </span>
      ) : null}
    </div>
  );
}

function Age({ at, ageMs }: { at: string | null; ageMs: number | null }) {
  return (
    <div className="flex flex-col">
      <Time value={at} never="never" />
      {ageMs !== null ? (
        <span className={`text-xs ${mutedClass}`}>
          {formatDuration(ageMs / 1000)} old when read
        </span>
      ) : null}
    </div>
  );
}

function CollectorRow({ row, confirmed }: { row: CollectorView; confirmed: boolean }) {
  return (
    <tr data-testid="collector-row" data-state={row.state} id={`node-${row.id}`}>
      <td className={cellClass}>
        <Link href={`/nodes/${row.id}`} className="font-medium underline-offset-2 hover:underline">
          {row.name}
        </Link>
        <div className={`text-xs ${mutedClass}`}>
          {row.location.path}
          {row.hostname ? ` · ${row.hostname}` : ""}
          {row.version ? ` · v${row.version}` : ""}
          {row.disabled ? " · disabled" : ""}
        </div>
      </td>
      <td className={cellClass}>
        <Verdict state={row.state} reason={row.reason} since={row.since} confirmed={confirmed} />
      </td>
      <td className={cellClass}>
        <Age at={row.lastActivityAt} ageMs={row.ageMs} />
      </td>
      <td className={cellClass}>
        {row.currentWork ?? <span className={mutedClass}>nothing running</span>}
        {row.functions !== null ? (
          <div className={`text-xs ${mutedClass}`}>
            {row.functions} function(s){row.failing ? `, ${row.failing} failing` : ""}
            {row.buffered ? `, ${row.buffered} buffered` : ""}
          </div>
        ) : null}
      </td>
      <td className={cellClass}>{row.dependency ?? <span className={mutedClass}>—</span>}</td>
      <td className={cellClass}>
        {row.lastError ? (
          <div className="text-xs text-red-700 dark:text-red-300">
            {row.lastError.message}
            <div className={mutedClass}>
              <Time value={row.lastError.at} />
            </div>
          </div>
        ) : (
          <span className={mutedClass}>none</span>
        )}
      </td>
    </tr>
  );
}

function WorkerRow({ row, confirmed }: { row: WorkerView; confirmed: boolean }) {
  return (
    <tr data-testid="worker-row" data-state={row.state} id={`worker-${row.id}`}>
      <td className={cellClass}>
        <span className="font-medium">{row.name}</span>
        <div className={`text-xs ${mutedClass}`}>
          <span className="font-mono">{row.id.slice(0, 8)}</span> · v{row.version} · {row.lifecycle}
        </div>
      </td>
      <td className={cellClass}>
        <Verdict state={row.state} reason={row.reason} since={row.since} confirmed={confirmed} />
      </td>
      <td className={cellClass}>
        <Age at={row.lastActivityAt} ageMs={row.ageMs} />
      </td>
      <td className={cellClass}>
        {row.currentWork ?? <span className={mutedClass}>nothing running</span>}
        {row.jobs !== null ? (
          <div className={`text-xs ${mutedClass}`}>
            {row.jobs} clock job(s) — see <Link href="/schedules">Schedules</Link>
          </div>
        ) : null}
      </td>
      <td className={cellClass}>{row.dependency ?? <span className={mutedClass}>—</span>}</td>
      <td className={cellClass}>
        {row.lastError ? (
          <span className="text-xs text-red-700 dark:text-red-300">{row.lastError}</span>
        ) : (
          <span className={mutedClass}>none</span>
        )}
      </td>
    </tr>
  );
}
