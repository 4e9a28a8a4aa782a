import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { SUBJECTS } from "./subjects";

const SECOND_NS = 1_000_000_000;

/** The streams the platform owns. Declared idempotently by every worker at start and on reconnect. */
export const STREAMS = {
  presence: {
    name: "OG_PRESENCE",
    subjects: [SUBJECTS.presenceAll],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    // Presence is only worth its latest few beats per sender, for an hour.
    max_msgs_per_subject: 10,
    max_age: 3600 * SECOND_NS,
    duplicate_window: 120 * SECOND_NS,
    num_replicas: 1,
  },
  samples: {
    name: "OG_SAMPLES",
    subjects: [SUBJECTS.samplesAll],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    // Full means publishers are refused and keep buffering on their disks: nothing is dropped.
    discard: DiscardPolicy.New,
    max_age: 24 * 3600 * SECOND_NS,
    max_bytes: 2 * 1024 ** 3,
    // A node re-sending a batch after an outage within this window is stored once; later the
    // history's (series, ts) key still makes it harmless.
    duplicate_window: 600 * SECOND_NS,
    num_replicas: 1,
  },
  transitions: {
    name: "OG_TRANSITIONS",
    subjects: [SUBJECTS.transitions],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    // Full refuses the relay, which keeps the rows unpublished and tries again: nothing is lost.
    discard: DiscardPolicy.New,
    max_age: 7 * 24 * 3600 * SECOND_NS,
    // A relay killed between publish and marking its rows published republishes them: stored
    // once within this window; later the consumer's (endpoint, alarm, seq) key makes it harmless.
    duplicate_window: 600 * SECOND_NS,
    num_replicas: 1,
  },
} satisfies Record<string, Partial<StreamConfig> & { name: string; subjects: string[] }>;

export interface ConsumerDefinition {
  stream: string;
  config: Partial<ConsumerConfig> & { durable_name: string };
}

/** Durable pull consumers, shared by every worker replica (each message goes to one of them). */
export const CONSUMERS = {
  presence: {
    stream: STREAMS.presence.name,
    config: {
      durable_name: "presence",
      description: "Keeps the worker registry in Postgres from worker heartbeats",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * SECOND_NS,
      max_deliver: 20,
      max_ack_pending: 1_000,
      filter_subject: SUBJECTS.presenceAll,
    },
  },
  ingest: {
    stream: STREAMS.samples.name,
    config: {
      durable_name: "ingest",
      description: "Validates sample batches and commits history and current values to Postgres",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // A dead worker's unacked batches come back this soon; a live one extends it while it
      // works (runBatchConsumer sends "working" for the messages in hand).
      ack_wait: 15 * SECOND_NS,
      // Never give up on a batch: a failure here is the database's, and it comes back.
      max_deliver: -1,
      max_ack_pending: 2_000,
      filter_subject: SUBJECTS.samplesAll,
    },
  },
  actions: {
    stream: STREAMS.transitions.name,
    config: {
      durable_name: "actions",
      description: "Matches alarm transitions against action rules and records their deliveries",
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * SECOND_NS,
      max_deliver: -1,
      max_ack_pending: 1_000,
      filter_subject: SUBJECTS.transitions,
    },
  },
} satisfies Record<string, ConsumerDefinition>;

/**
 * Creates or updates every stream and consumer so that the server matches the definitions above.
 * Safe to call any number of times, from any number of processes. `replicas` is how many servers
 * of a JetStream cluster keep each stream (3 in production; 1 on one machine); consumers follow
 * their stream. Raising it on an existing stream scales the stream up in place.
 */
export async function ensureTopology(
  nc: NatsConnection,
  { replicas = 1 }: { replicas?: number } = {},
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const definition of Object.values(STREAMS)) {
    const stream = { ...definition, num_replicas: replicas };
    try {
      await jsm.streams.info(stream.name);
      await jsm.streams.update(stream.name, stream);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await jsm.streams.add(stream);
      } catch (raced) {
        // Another process created it between our two calls: fine when it now exists.
        await jsm.streams.info(stream.name).catch(() => Promise.reject(raced));
      }
    }
  }
  for (const consumer of Object.values(CONSUMERS) as ConsumerDefinition[]) {
    try {
      await jsm.consumers.info(consumer.stream, consumer.config.durable_name);
      await jsm.consumers.update(consumer.stream, consumer.config.durable_name, consumer.config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.consumers.add(consumer.stream, consumer.config);
    }
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; api_error?: { err_code?: number } };
  const code = e?.api_error?.err_code;
  return (
    code === 10059 ||
    code === 10014 ||
    (typeof e?.message === "string" && /not found/i.test(e.message))
  );
}
