import type { ConsumerStats } from "@omniglass/contracts";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What the worker counts about itself, for an operator's Prometheus (and the platform page). */
export interface WorkerMetrics {
  registry: Registry;
  /** One ingest write: samples written, rejections by reason, batches of unknown nodes, its time. */
  observeWrite(result: {
    accepted: number;
    rejectedByReason: Record<string, number>;
    dropped: number;
    seconds: number;
  }): void;
  /** One stale pass of the clock lane: how many owners went stale. */
  observeStalePass(changed: number): void;
  observeError(lane: string, stage: string): void;
  /** Where the consumers' pending / redelivered figures come from (the heartbeat's last read). */
  consumersFrom(read: () => ConsumerStats[]): void;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "omniglass_worker_process_" });
  const registers = [registry];
  const written = new Counter({
    name: "omniglass_worker_samples_written_total",
    help: "Samples the ingest lane wrote (history and current values), after the commit.",
    registers,
  });
  const rejected = new Counter({
    name: "omniglass_worker_samples_rejected_total",
    help: "Samples rejected, by reason: the node's own reasons as it reported them; `writer` for those the worker's writer refused (unknown owner, not polled, invalid value).",
    labelNames: ["reason"] as const,
    registers,
  });
  const dropped = new Counter({
    name: "omniglass_worker_batches_dropped_total",
    help: "Sample batches from nodes that no longer exist (dropped, acked).",
    registers,
  });
  const writeSeconds = new Histogram({
    name: "omniglass_worker_batch_write_seconds",
    help: "Time of one ingest write (the batches available at once, one transaction per node) until its commit.",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const stale = new Counter({
    name: "omniglass_worker_stale_transitions_total",
    help: "Owners (components, systems, locations) whose values the clock lane turned stale.",
    registers,
  });
  let lastPassAt = Date.now();
  new Gauge({
    name: "omniglass_worker_clock_lag_seconds",
    help: "Seconds since the clock lane's last completed stale pass (about its 1 s tick when healthy; grows while PostgreSQL is away).",
    registers,
    collect() {
      this.set((Date.now() - lastPassAt) / 1000);
    },
  });
  const errors = new Counter({
    name: "omniglass_worker_errors_total",
    help: "Failures by lane and stage (each attempt counted; the log says each kind once with a count).",
    labelNames: ["lane", "stage"] as const,
    registers,
  });
  let readConsumers: () => ConsumerStats[] = () => [];
  const consumerGauge = (name: string, help: string, pick: (s: ConsumerStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["stream", "consumer"] as const,
      registers,
      collect() {
        this.reset();
        for (const s of readConsumers()) this.set({ stream: s.stream, consumer: s.name }, pick(s));
      },
    });
  consumerGauge(
    "omniglass_worker_consumer_pending",
    "Messages of the durable consumer not yet delivered to any worker (as of the last heartbeat).",
    (s) => s.pending,
  );
  consumerGauge(
    "omniglass_worker_consumer_ack_pending",
    "Messages delivered and not yet acknowledged (as of the last heartbeat).",
    (s) => s.ackPending,
  );
  consumerGauge(
    "omniglass_worker_consumer_redelivered",
    "Messages the server is redelivering (as of the last heartbeat).",
    (s) => s.redelivered,
  );
  return {
    registry,
    observeWrite({ accepted, rejectedByReason, dropped: lost, seconds }) {
      written.inc(accepted);
      for (const [reason, n] of Object.entries(rejectedByReason))
        if (n > 0) rejected.inc({ reason }, n);
      if (lost > 0) dropped.inc(lost);
      writeSeconds.observe(seconds);
    },
    observeStalePass(changed) {
      lastPassAt = Date.now();
      if (changed > 0) stale.inc(changed);
    },
    observeError(lane, stage) {
      errors.inc({ lane, stage });
    },
    consumersFrom(read) {
      readConsumers = read;
    },
  };
}
