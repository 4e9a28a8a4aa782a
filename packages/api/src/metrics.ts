import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ApiMetrics {
  registry: Registry;
  observeCall(
    labels: { procedure: string; transport: string; outcome: string },
    seconds: number,
  ): void;
}

/** One registry per process: procedure calls by transport and outcome, plus Node process metrics. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "omniglass_" });
  const labelNames = ["procedure", "transport", "outcome"] as const;
  const calls = new Counter({
    name: "omniglass_procedure_calls_total",
    help: "Procedure calls by procedure, transport (trpc source or rest) and outcome (ok or an error code).",
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "omniglass_procedure_duration_seconds",
    help: "Procedure latency in seconds, by procedure, transport and outcome.",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    observeCall(labels, seconds) {
      calls.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
