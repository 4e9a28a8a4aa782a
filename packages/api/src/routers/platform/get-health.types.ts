import { z } from "zod";
import { HealthReport } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const getHealthMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/health",
    tags: ["platform"],
    summary: "Probe the database and NATS",
    description:
      "The body of `/api/healthz`. `status` is `up` only when every dependency answered.",
    protect: false,
  },
};

export const GetHealthInput = z.void();
export const GetHealthOutput = HealthReport;
