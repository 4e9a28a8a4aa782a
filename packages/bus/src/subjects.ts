/** Every subject the platform uses, versioned under `og.v1`. */
export const SUBJECTS = {
  /** A worker's heartbeat (presence lane). */
  workerPresence: (workerId: string) => `og.v1.presence.worker.${workerId}`,
  presenceAll: "og.v1.presence.>",
  /** A node's heartbeat (presence lane, same stream and consumer as workers'). */
  nodePresence: (nodeId: string) => `og.v1.presence.node.${nodeId}`,
  /** A node's sample batches (ingest lane). */
  samples: (nodeId: string) => `og.v1.samples.${nodeId}`,
  samplesAll: "og.v1.samples.>",
  /**
   * Committed current values of one owner, published by the worker after each commit on core NATS
   * (not a stream: a live view that missed one reads the values again). Relayed to the console.
   */
  liveValues: (ownerId: string) => `og.v1.live.values.${ownerId}`,
  /** Alarm changes after each commit (core NATS, one subject: the relay filters by the reader's scope). */
  liveAlarms: "og.v1.live.alarms",
  /** An owner's health verdict changed (core NATS); `liveHealthAll` is every owner's. */
  liveHealth: (ownerId: string) => `og.v1.live.health.${ownerId}`,
  liveHealthAll: "og.v1.live.health.>",
  /** Committed alarm transitions, moved from the outbox by the relay (JetStream, Nats-Msg-Id = outbox id). */
  transitions: "og.v1.transitions",
} as const;
