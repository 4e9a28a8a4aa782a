"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { ScheduleRow } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { cellClass, mutedClass, Table } from "~/ui/controls";
import { formatDuration } from "~/ui/format";
import { Time } from "~/ui/time";
import { SourceLine, StaleWarning, useFreshness } from "./freshness";
import { StateBadge } from "./state-badge";
import { REFRESH_MS, useLiveRefresh } from "./use-live-refresh";

const KIND: Record<ScheduleRow["kind"], string> = {
  function: "Collection",
  job: "Clock job",
  window: "Maintenance window",
};

/**
 * Schedules, desired vs actual (GET /schedules): the nodes' collection functions, the worker's
 * clock jobs and the maintenance windows, drift first (overdue first), each row linking to its
 * object and saying which heartbeat its actual side comes from.
 */
export function SchedulesView() {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.operations.schedules.queryOptions(),
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const live = useLiveRefresh(() => void query.refetch());
  const report = query.data ?? null;
  const fresh = useFreshness({
    asOf: report?.asOf ?? null,
    updatedAt: query.dataUpdatedAt,
    failed: query.isError,
  });

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Schedules</h1>
        <SourceLine
          source={report?.source ?? null}
          asOf={report?.asOf ?? null}
          live={live}
          testId="schedules-source"
        />
      </header>
      <StaleWarning
        failed={query.isError}
        error={query.error?.message ?? null}
        answerAgeMs={fresh.answerAgeMs}
        beatAgeMs={null}
      />
      {report ? (
        <p className="text-sm" data-testid="schedules-summary">
          <strong data-testid="drift-count">{report.drift}</strong> with drift (desired and actual
          disagree), <strong data-testid="overdue-count">{report.overdue}</strong> overdue, of{" "}
          {Object.values(report.counts).reduce((a, b) => a + b, 0)} schedules
          {report.truncated ? ` — the ${report.rows.length} worst are listed` : ""}.
        </p>
      ) : null}
      {!report ? (
        <p className={`text-sm ${mutedClass}`}>{query.isPending ? "Loading…" : "No answer."}</p>
      ) : report.rows.length === 0 ? (
        <p className={`text-sm ${mutedClass}`} data-testid="schedules-empty">
          Nothing is scheduled in your scope.
        </p>
      ) : (
        <Table head={["Schedule", "Runner", "Desired", "State", "Last run", "Next", "Reported"]}>
          {report.rows.map((row) => (
            <Row key={`${row.kind}:${row.key}`} row={row} confirmed={fresh.confirmed} />
          ))}
        </Table>
      )}
    </div>
  );
}

function Row({ row, confirmed }: { row: ScheduleRow; confirmed: boolean }) {
  return (
    <tr
      data-testid="schedule-row"
      data-kind={row.kind}
      data-state={row.state}
      data-drift={row.drift ? "true" : "false"}
      className={row.drift ? "bg-amber-50 dark:bg-amber-950/40" : undefined}
    >
      <td className={`${cellClass} ${row.drift ? "border-l-4 border-l-amber-500" : ""}`}>
        <div className={`text-xs ${mutedClass}`}>{KIND[row.kind]}</div>
        <Link href={row.link} className="font-medium underline-offset-2 hover:underline">
          {row.name}
        </Link>
      </td>
      <td className={cellClass}>
        {row.runner ? (
          <Link
            href={
              row.runner.kind === "node"
                ? `/nodes/${row.runner.id}`
                : `/operations#worker-${row.runner.id}`
            }
            className="underline-offset-2 hover:underline"
          >
            {row.runner.name}
          </Link>
        ) : (
          <span className={mutedClass}>{row.kind === "window" ? "suppression pass" : "none"}</span>
        )}
      </td>
      <td className={cellClass}>
        {row.desired.intervalMs !== null
          ? `every ${formatDuration(row.desired.intervalMs / 1000)}`
          : "—"}
        <div className={`text-xs ${mutedClass}`}>
          {row.desired.enabled ? "enabled" : "disabled"}
        </div>
      </td>
      <td className={cellClass}>
        <div className="flex flex-col gap-1">
          <span className="flex items-center gap-1">
            <StateBadge state={row.state} unconfirmed={!confirmed} />
            {row.drift ? (
              <span className="text-xs font-medium text-amber-800 dark:text-amber-300">drift</span>
            ) : null}
          </span>
          <span className="text-xs" data-testid="reason">
            {row.reason}
          </span>
        </div>
      </td>
      <td className={cellClass}>
        {row.kind === "window" ? (
          <span className={mutedClass}>—</span>
        ) : (
          <div className="flex flex-col">
            <Time value={row.lastRunAt} never="not run" />
            {row.lastResult ? (
              <span
                className={`text-xs ${row.lastResult === "ok" ? mutedClass : "text-red-700 dark:text-red-300"}`}
              >
                {row.lastResult}
                {row.lastError ? `: ${row.lastError}` : ""}
              </span>
            ) : null}
            {row.lastResult === "error" ? (
              <span className={`text-xs ${mutedClass}`}>
                last success <Time value={row.lastSuccessAt} never="never" />
              </span>
            ) : null}
          </div>
        )}
      </td>
      <td className={cellClass}>
        <div className="flex flex-col">
          {row.runningSince ? (
            <span className="text-xs">
              running since <Time value={row.runningSince} />
            </span>
          ) : null}
          <Time value={row.nextRunAt} never="—" />
          {row.nextEndAt ? (
            <span className={`text-xs ${mutedClass}`}>
              ends <Time value={row.nextEndAt} />
            </span>
          ) : null}
        </div>
      </td>
      <td className={cellClass}>
        <Time value={row.sourceAt} never="no report" />
      </td>
    </tr>
  );
}
