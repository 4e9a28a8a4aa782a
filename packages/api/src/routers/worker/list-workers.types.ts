import { ListInput, listOf, Worker } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const listWorkersMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/workers",
    tags: ["platform"],
    summary: "List worker processes",
    description:
      "The worker registry kept from heartbeats, newest first. `state` is `stale` when a worker has been silent for three heartbeat intervals.",
  },
};

export const ListWorkersInput = ListInput;
export const ListWorkersOutput = listOf(Worker);
