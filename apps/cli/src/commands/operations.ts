import { Command } from "commander";
import type { RouterOutputs } from "@omniglass/client";
import type { CliIo } from "../io";
import { printTable } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass collectors` and `omniglass schedules` (issue #16): the collectors & workers and the
 * schedules views of the console, as tables (`--json` for the whole answer). Each says its source
 * and as-of time; states are derived on the server from the stored heartbeats.
 */

type Collectors = RouterOutputs["operations"]["collectors"];
type Schedules = RouterOutputs["operations"]["schedules"];

const age = (ms: number | null) => (ms === null ? "never" : `${Math.round(ms / 1000)} s ago`);

export function printCollectors(io: CliIo, report: Collectors) {
  io.out(`collectors & workers  as of ${report.asOf}  (source: ${report.source})`);
  io.out("");
  const rows = [
    ...report.collectors.map((c) => ({
      kind: "node",
      name: c.name,
      where: c.location.path,
      state: c.state,
      last: age(c.ageMs),
      work: c.currentWork ?? "",
      dependency: c.dependency ?? "",
      reason: c.reason,
    })),
    ...report.workers.map((w) => ({
      kind: "worker",
      name: w.name,
      where: "platform",
      state: w.state,
      last: age(w.ageMs),
      work: w.currentWork ?? "",
      dependency: w.dependency ?? "",
      reason: w.reason,
    })),
  ];
  if (rows.length === 0) {
    io.out("nothing in your scope");
    return;
  }
  printTable(
    io,
    [
      { header: "KIND", value: (r) => r.kind },
      { header: "NAME", value: (r) => r.name },
      { header: "WHERE", value: (r) => r.where },
      { header: "STATE", value: (r) => r.state },
      { header: "LAST ACTIVITY", value: (r) => r.last },
      { header: "CURRENT WORK", value: (r) => r.work },
      { header: "DEPENDENCY", value: (r) => r.dependency },
      { header: "REASON", value: (r) => r.reason },
    ],
    rows,
  );
  if (!report.workersVisible) io.out("\n(workers are listed with the worker:read permission)");
}

export function printSchedules(io: CliIo, report: Schedules) {
  io.out(
    `schedules  as of ${report.asOf}  ${report.drift} with drift, ${report.overdue} overdue  (source: ${report.source})`,
  );
  io.out("");
  if (report.rows.length === 0) {
    io.out("nothing scheduled in your scope");
    return;
  }
  printTable(
    io,
    [
      { header: "KIND", value: (r) => r.kind },
      { header: "SCHEDULE", value: (r) => r.name },
      { header: "RUNNER", value: (r) => r.runner?.name ?? "" },
      {
        header: "EVERY",
        value: (r) => (r.desired.intervalMs === null ? "" : `${r.desired.intervalMs / 1000} s`),
      },
      { header: "STATE", value: (r) => `${r.state}${r.drift ? " (drift)" : ""}` },
      { header: "LAST RUN", value: (r) => r.lastRunAt ?? "" },
      { header: "RESULT", value: (r) => r.lastResult ?? "" },
      { header: "NEXT", value: (r) => r.nextRunAt ?? "" },
      { header: "REASON", value: (r) => r.reason },
    ],
    report.rows,
  );
  if (report.truncated) io.out(`\n(the ${report.rows.length} worst are listed)`);
}

export function collectorsCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("collectors").description(
      "Collectors (nodes) and workers with their state (up, down, degraded, idle, busy, stuck, stale), last activity, current work, dependency and reason",
    ),
  ).action(async (options: Connection) =>
    run(
      options,
      (client) => client.operations.collectors.query(),
      (report) => printCollectors(io, report),
    ),
  );
}

export function schedulesCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("schedules").description(
      "Collection functions, clock jobs and maintenance windows, desired vs actual, drift first (overdue, no-runner, paused, failing, stuck)",
    ),
  ).action(async (options: Connection) =>
    run(
      options,
      (client) => client.operations.schedules.query(),
      (report) => printSchedules(io, report),
    ),
  );
}
