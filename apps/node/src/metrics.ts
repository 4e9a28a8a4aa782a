import { Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { NodeStats } from "./node";

/**
 * The node's figures for an operator's Prometheus, read from its stats at each scrape: polls and
 * their failures, samples taken and rejected, batches published, the disk buffer's depth and the
 * NATS connection — labelled with the node's name, as a fleet of nodes is scraped together.
 */
export function createNodeMetrics(node: string, stats: () => NodeStats | null): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "omniglass_node_process_" });
  const figure = (name: string, help: string, pick: (s: NodeStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["node"] as const,
      registers: [registry],
      collect() {
        const s = stats();
        if (s) this.set({ node }, pick(s));
      },
    });
  // Counters in meaning (they only grow while the process lives); exposed as gauges read from stats.
  figure("omniglass_node_polls_total", "Polls run since the node started.", (s) => s.polls);
  figure(
    "omniglass_node_poll_failures_total",
    "Polls that failed (device unreachable, refused, timed out).",
    (s) => s.pollErrors,
  );
  figure("omniglass_node_samples_taken_total", "Samples taken by polls.", (s) => s.samplesTaken);
  figure(
    "omniglass_node_rejections_total",
    "Readings the node could not turn into a sample (reported as rejections).",
    (s) => s.rejections,
  );
  figure(
    "omniglass_node_published_total",
    "Samples acknowledged by JetStream (live or drained from the buffer).",
    (s) => s.published,
  );
  figure(
    "omniglass_node_buffered_samples",
    "Samples in the disk buffer, waiting for NATS.",
    (s) => s.buffered,
  );
  figure(
    "omniglass_node_buffered_batches",
    "Batches in the disk buffer, waiting for NATS.",
    (s) => s.bufferedBatches,
  );
  figure("omniglass_node_connected", "1 while the node's NATS connection is up.", (s) =>
    s.connected ? 1 : 0,
  );
  figure(
    "omniglass_node_functions",
    "Polling functions the node runs from its worklist.",
    (s) => s.functions,
  );
  return registry;
}
