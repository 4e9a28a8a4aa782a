import { z } from "zod";
import { PlatformStatus } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const getStatusMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/platform/status",
    tags: ["platform"],
    summary: "Dependencies as this web process sees them",
    description:
      "Each dependency with a live probe, its source, since when it has been in its status and when it was last seen up (as observed by the answering web process); under `npm start`, the supervised processes with their restarts, last exit reason and a few of the worker's and node's metrics.",
  },
};

export const GetStatusInput = z.void();
export const GetStatusOutput = PlatformStatus;
