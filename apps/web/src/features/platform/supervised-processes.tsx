import type { SupervisorReport } from "@omniglass/contracts";
import { mutedClass, Table } from "~/ui/controls";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";

/** The figures worth a glance, in words; the rest are on each process's /metrics. */
const FIGURES: [string, string][] = [
  ["omniglass_worker_samples_written_total", "samples written"],
  ["omniglass_worker_samples_rejected_total", "rejected"],
  ["omniglass_worker_consumer_pending", "pending"],
  ["omniglass_worker_consumer_redelivered", "redelivered"],
  ["omniglass_worker_clock_lag_seconds", "clock lag (s)"],
  ["omniglass_node_polls_total", "polls"],
  ["omniglass_node_poll_failures_total", "poll failures"],
  ["omniglass_node_buffered_batches", "batches buffered"],
];

/**
 * The processes `npm start` supervises, as its supervisor last wrote them down: state, restarts,
 * the last exit and why, and a few of the worker's and node's metrics. Shown only when the
 * answering web process runs under `npm start`.
 */
export function SupervisedProcesses({
  supervisor,
  unknown,
}: {
  supervisor: SupervisorReport;
  unknown: boolean;
}) {
  return (
    <section aria-labelledby="processes-heading" className="flex flex-col gap-3">
      <div className="flex items-baseline justify-between">
        <h2 id="processes-heading" className="text-lg font-medium">
          Processes
        </h2>
        <p className={`text-xs ${mutedClass}`}>
          Source: the npm start supervisor (pid {supervisor.pid}) · as of{" "}
          <Time value={supervisor.updatedAt} />
        </p>
      </div>
      <Table head={["Process", "State", "Restarts", "Last exit", "Figures"]}>
        {supervisor.processes.map((p) => {
          const figures = FIGURES.filter(([key]) => p.figures?.[key] !== undefined);
          return (
            <tr
              key={p.name}
              data-testid="process-row"
              className="border-t border-zinc-200 align-top dark:border-zinc-800"
            >
              <td className="px-3 py-2">
                <div className="font-medium">{p.name}</div>
                <div className={`text-xs ${mutedClass}`}>
                  {p.pid ? `pid ${p.pid}` : "not running"}
                  {p.startedAt ? (
                    <>
                      {" "}
                      · since <Time value={p.startedAt} />
                    </>
                  ) : null}
                </div>
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={unknown ? "unknown" : p.state} />
                {p.gaveUp ? (
                  <div className="mt-1 text-xs text-red-700 dark:text-red-300">{p.gaveUp}</div>
                ) : null}
              </td>
              <td className="px-3 py-2">{p.restarts}</td>
              <td className="px-3 py-2">
                {p.lastExit ? (
                  <>
                    {p.lastExit.reason}
                    <div className={`text-xs ${mutedClass}`}>
                      <Time value={p.lastExit.at} />
                    </div>
                  </>
                ) : (
                  <span className={mutedClass}>none</span>
                )}
              </td>
              <td className="px-3 py-2">
                {figures.length === 0 ? (
                  <span className={mutedClass}>—</span>
                ) : (
                  <ul className="flex flex-col gap-0.5 text-xs">
                    {figures.map(([key, label]) => (
                      <li key={key}>
                        {label}: {Number(p.figures![key]!.toFixed(2)).toLocaleString("en")}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </Table>
    </section>
  );
}
