import type { SupervisorReport } from "@omniglass/contracts";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ApiMetrics {
  registry: Registry;
  observeCall(
    labels: { procedure: string; transport: string; outcome: string },
    seconds: number,
  ): void;
  /**
   * Where `npm start`'s supervisor report comes from (the host attaches it when it runs under
   * the supervisor); its figures appear in this registry and in `platform.getStatus`.
   */
  attachSupervisor(read: () => Promise<SupervisorReport | null>): void;
  supervisor(): Promise<SupervisorReport | null>;
}

/**
 * One registry per process: procedure calls by transport and outcome, the supervised processes'
 * restarts and last exits (under `npm start`), plus Node process metrics.
 */
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
  let readSupervisor: () => Promise<SupervisorReport | null> = async () => null;
  new Gauge({
    name: "omniglass_supervisor_restarts",
    help: "Restarts of each process npm start supervises, since it began (absent when not run by npm start).",
    labelNames: ["process"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of (await readSupervisor())?.processes ?? [])
        this.set({ process: p.name }, p.restarts);
    },
  });
  new Gauge({
    name: "omniglass_supervisor_up",
    help: "1 while a supervised process runs, 0 while it is restarting, failed or stopped.",
    labelNames: ["process", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of (await readSupervisor())?.processes ?? [])
        this.set({ process: p.name, state: p.state }, p.state === "running" ? 1 : 0);
    },
  });
  new Gauge({
    name: "omniglass_supervisor_last_exit_timestamp_seconds",
    help: "When a supervised process last exited unasked, with the reason (e.g. `killed by SIGKILL`).",
    labelNames: ["process", "reason"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const p of (await readSupervisor())?.processes ?? [])
        if (p.lastExit)
          this.set(
            { process: p.name, reason: p.lastExit.reason },
            Date.parse(p.lastExit.at) / 1000,
          );
    },
  });
  return {
    registry,
    observeCall(labels, seconds) {
      calls.inc(labels);
      duration.observe(labels, seconds);
    },
    attachSupervisor(read) {
      readSupervisor = read;
    },
    supervisor: () => readSupervisor().catch(() => null),
  };
}
