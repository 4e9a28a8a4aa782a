import { z } from "zod";
import { CollectorsReport } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const listCollectorsMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/collectors",
    tags: ["platform"],
    summary: "Collectors and workers with their derived state",
    description:
      "Every node in your `node:read` scope and (with `worker:read`) every worker, each with a state derived from its last heartbeat: `down` (no heartbeat for three intervals, stopped, never seen), `stale` (a beat missed), `stuck` (one task running far past its interval, named with since-when), `degraded` (beating but reporting errors, failing functions or a disk buffer), `busy`, `idle`, or `up` (an older version that reports no work detail); with the reason, last activity, current work, dependency and last error. `source` and `asOf` say where the facts come from and when they were read; `newestHeartbeatAt` old means the presence source itself is down. Reads only.",
  },
};

export const ListCollectorsInput = z.void();
export const ListCollectorsOutput = CollectorsReport;
