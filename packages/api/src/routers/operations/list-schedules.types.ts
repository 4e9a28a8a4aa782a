import { z } from "zod";
import { SchedulesReport } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const listSchedulesMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/schedules",
    tags: ["platform"],
    summary: "Schedules: desired vs actual, drift first",
    description:
      "The collection functions of the nodes in your scope (from their worklists; actual from their heartbeats), the worker's clock jobs (with `worker:read`) and the maintenance windows in your `maintenance:read` scope, each with interval, last run, last result, next run and a state: `overdue`, `no-runner` (configured but nothing live runs it), `paused` (disabled node or window), `failing` (its last runs failed and its last success is old), `stuck`, `running`, `open`, `ok` or `unknown` (its runner's heartbeat is stale). Drift rows first, overdue first; at most 1,000 rows (`truncated` says more matched; `counts`, `overdue` and `drift` count every row, listed or not). Reads only.",
  },
};

export const ListSchedulesInput = z.void();
export const ListSchedulesOutput = SchedulesReport;
