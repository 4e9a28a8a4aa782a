import { z } from "zod";
import { Timestamp } from "./common";
import { Name, Ref } from "./location";
import { NodeScheduleSummary } from "./operations";
import { SignalLane, SignalValueType, TemplateFunction, TemplateInterface } from "./template";

/*
 * The data plane's contracts (DESIGN.md §3 "the journey of one reading", §7; issue #5): what a
 * node publishes on the bus, what the worker commits, what the push API takes and what the
 * reads return. The node never names an owner it does not poll: the worker binds each sample to
 * the node's task and rejects the rest with a reason.
 */

// ---------------------------------------------------------------------------------------------
// Samples
// ---------------------------------------------------------------------------------------------

/** A sample's value: a number (metrics), or a string, boolean, integer or JSON value (properties). */
export const SampleValue = z
  .union([
    z.number(),
    z.string(),
    z.boolean(),
    z.array(z.unknown()),
    z.record(z.string(), z.unknown()),
  ])
  .describe("The value: a number for a metric; a string, boolean, integer or JSON for a property.");
export type SampleValue = z.infer<typeof SampleValue>;

export const Instance = z
  .string()
  .max(100)
  .regex(/^[^\s]*$/, "no whitespace")
  .describe(
    "The series' instance (an interface index, `mic-1`); empty for the owner's single series.",
  );

/** Why a sample was not stored. Counted per source, component, signal and reason. */
export const RejectionReason = z
  .enum([
    "unregistered-signal",
    "invalid-value",
    "not-polled",
    "unknown-owner",
    "out-of-scope",
    "bad-timestamp",
    "device-error",
  ])
  .describe(
    "unregistered-signal: not in the catalog; invalid-value: wrong type or fails the signal's schema; not-polled: the node has no task producing it for that component; unknown-owner: no such component/system/location; out-of-scope: the caller may not push for that owner; bad-timestamp: outside the accepted window; device-error: the node could not turn the device's answer into this value.",
  );
export type RejectionReason = z.infer<typeof RejectionReason>;

/** One sample as a node publishes it: the component it polls, never an owner it chose. */
export const NodeSample = z.object({
  component: z.uuid(),
  signal: Name,
  instance: Instance.default(""),
  /** Epoch milliseconds when the device was read. */
  ts: z.number().int().positive(),
  value: SampleValue,
});
export type NodeSample = z.infer<typeof NodeSample>;

/** A value the node could not produce: the device answered, but not in a way the template allows. */
export const NodeRejection = z.object({
  component: z.uuid(),
  signal: Name,
  instance: Instance.default(""),
  ts: z.number().int().positive(),
  reason: RejectionReason,
  detail: z.string().max(500),
});
export type NodeRejection = z.infer<typeof NodeRejection>;

/**
 * One message on `og.v1.samples.<nodeId>`, published with `Nats-Msg-Id: <batchId>`. A node
 * batches every sample taken in a short window (and the whole disk buffer when draining).
 */
export const SampleBatch = z.object({
  node: z.uuid(),
  batchId: z.string().min(1).max(100),
  samples: z.array(NodeSample).max(20_000),
  rejections: z.array(NodeRejection).max(20_000).default([]),
});
export type SampleBatch = z.infer<typeof SampleBatch>;

// ---------------------------------------------------------------------------------------------
// Push API (POST /api/v1/samples)
// ---------------------------------------------------------------------------------------------

export const OwnerKind = z
  .enum(["component", "system", "location"])
  .describe("What owns the series.");
export type OwnerKind = z.infer<typeof OwnerKind>;

export const PushSample = z
  .object({
    ownerKind: OwnerKind.default("component"),
    owner: Ref.describe("The owner: an id, unique name or dotted path."),
    signal: Name.describe("A registered signal's name."),
    instance: Instance.default(""),
    ts: Timestamp.optional().describe("When it was measured; default: when received."),
    value: SampleValue,
    expectedInterval: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .optional()
      .describe(
        "Seconds until the next value is due; past twice this the value is stale. Omitted: never stale.",
      ),
  })
  .meta({ id: "PushSample" });
export type PushSample = z.infer<typeof PushSample>;

export const PushSamplesInput = z.object({
  samples: z.array(PushSample).min(1).max(5_000),
});
export type PushSamplesInput = z.infer<typeof PushSamplesInput>;

export const RejectedSample = z
  .object({
    index: z.number().int().nonnegative().describe("Its position in the request's `samples`."),
    signal: z.string(),
    reason: RejectionReason,
    detail: z.string().describe("What was wrong, for a human."),
  })
  .meta({ id: "RejectedSample" });
export type RejectedSample = z.infer<typeof RejectedSample>;

export const PushSamplesResult = z
  .object({
    accepted: z.number().int().nonnegative(),
    rejected: z.array(RejectedSample),
  })
  .meta({ id: "PushSamplesResult" });
export type PushSamplesResult = z.infer<typeof PushSamplesResult>;

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

export const Freshness = z
  .enum(["fresh", "stale", "unknown"])
  .describe(
    "fresh: within twice its expected interval; stale: older than that; unknown: never seen.",
  );
export type Freshness = z.infer<typeof Freshness>;

export const Provenance = z
  .enum(["observed", "pushed", "declared"])
  .describe("observed: polled by a node; pushed: over the push API; declared: set by an operator.");

export const CurrentValue = z
  .object({
    signal: z.string(),
    label: z.string(),
    lane: z.enum(["metric", "property"]),
    unit: z.string().nullable(),
    precision: z.number().int().nullable(),
    instance: z.string(),
    value: SampleValue.nullable(),
    ts: Timestamp.nullable().describe("When the value was measured."),
    ageSeconds: z.number().nullable(),
    expectedIntervalSeconds: z.number().nullable(),
    state: Freshness,
    stateSince: Timestamp.nullable().describe("Since when it is in this state."),
    provenance: Provenance.nullable(),
  })
  .meta({ id: "CurrentValue" });
export type CurrentValue = z.infer<typeof CurrentValue>;

export const OwnerValuesInput = z.object({
  ref: Ref,
  signal: Name.optional().describe("Only this signal."),
});
export type OwnerValuesInput = z.infer<typeof OwnerValuesInput>;

export const OwnerValues = z
  .object({
    owner: z.object({ kind: OwnerKind, id: z.uuid(), path: z.string() }),
    at: Timestamp.describe("The server's clock when read: ages are relative to it."),
    values: z.array(CurrentValue),
  })
  .meta({ id: "OwnerValues" });
export type OwnerValues = z.infer<typeof OwnerValues>;

export const SamplesInput = z.object({
  ref: Ref,
  signal: Name,
  instance: Instance.default(""),
  from: Timestamp.optional().describe("Default: an hour before `to`."),
  to: Timestamp.optional().describe("Default: now."),
  step: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe(
      "Seconds per point. Omitted: raw samples when the range holds at most 1,000, else a step giving about 500 points.",
    ),
});
export type SamplesInput = z.infer<typeof SamplesInput>;

export const SamplePoint = z
  .object({
    ts: Timestamp.describe("The sample's time, or the start of its step."),
    value: SampleValue.describe(
      "The value, or a step's mean (metrics) or last value (properties).",
    ),
    min: z.number().nullable().describe("Metrics with a step: the step's minimum."),
    max: z.number().nullable().describe("Metrics with a step: the step's maximum."),
    count: z.number().int().positive().describe("Samples in the point."),
  })
  .meta({ id: "SamplePoint" });

export const Samples = z
  .object({
    signal: z.string(),
    instance: z.string(),
    unit: z.string().nullable(),
    from: Timestamp,
    to: Timestamp,
    step: z.number().int().nullable().describe("Seconds per point, or null for raw samples."),
    points: z.array(SamplePoint),
  })
  .meta({ id: "Samples" });
export type Samples = z.infer<typeof Samples>;

/** Rejections counted for a node or a component, newest first. */
export const RejectionCount = z
  .object({
    source: z.object({ id: z.uuid(), name: z.string() }),
    component: z.object({ id: z.uuid(), path: z.string() }).nullable(),
    signal: z.string(),
    reason: RejectionReason,
    count: z.number().int().positive(),
    lastDetail: z.string(),
    firstAt: Timestamp,
    lastAt: Timestamp,
  })
  .meta({ id: "RejectionCount" });
export type RejectionCount = z.infer<typeof RejectionCount>;

// ---------------------------------------------------------------------------------------------
// Nodes: enrollment, worklist, heartbeat
// ---------------------------------------------------------------------------------------------

export const EnrollNodeInput = z.object({
  token: z.string().min(10).max(200).describe("The one-time enrollment token (`og_…`)."),
});
export type EnrollNodeInput = z.infer<typeof EnrollNodeInput>;

export const NodeCredential = z
  .object({
    nodeId: z.uuid(),
    name: z.string(),
    token: z
      .string()
      .describe(
        "The node's API token (`og_…`): shown once; the node keeps it in its state directory.",
      ),
  })
  .meta({ id: "NodeCredential" });
export type NodeCredential = z.infer<typeof NodeCredential>;

/** One interface of one component that this node polls, with the functions to run on it. */
export const NodeTask = z
  .object({
    component: z.object({ id: z.uuid(), path: z.string() }),
    interface: TemplateInterface,
    host: z
      .string()
      .describe("Where to reach it: the interface's host or the component's address."),
    port: z.number().int().nullable(),
    /** Variables the interface names (communities, passwords), decrypted for this node only. */
    secrets: z.record(z.string(), z.string()),
    functions: z.array(TemplateFunction),
  })
  .meta({ id: "NodeTask" });
export type NodeTask = z.infer<typeof NodeTask>;

export const Worklist = z
  .object({
    node: z.object({ id: z.uuid(), name: z.string() }),
    etag: z.string().describe("Changes whenever the worklist does."),
    tasks: z.array(NodeTask),
    signals: z
      .record(z.string(), z.object({ lane: SignalLane, valueType: SignalValueType }))
      .default({})
      .describe(
        "The lane and type of every signal the tasks produce: the node turns a text answer into the number or boolean the signal takes.",
      ),
  })
  .meta({ id: "Worklist" });
export type Worklist = z.infer<typeof Worklist>;

/** The presence message a node publishes on `og.v1.presence.node.<id>`. */
export const NodeHeartbeat = z
  .object({
    nodeId: z.uuid(),
    version: z.string().max(64),
    hostname: z.string().max(255),
    startedAt: Timestamp,
    beatAt: Timestamp,
    intervalMs: z.number().int().positive(),
    worklistEtag: z.string().max(200).nullable(),
    tasks: z.number().int().nonnegative().describe("Interfaces it polls."),
    functions: z.number().int().nonnegative().describe("Functions scheduled."),
    running: z.number().int().nonnegative().describe("Requests in flight now."),
    buffered: z.number().int().nonnegative().describe("Samples on disk waiting for NATS."),
    published: z.number().int().nonnegative().describe("Samples published since start."),
    lastError: z
      .object({ message: z.string().max(2000), at: Timestamp })
      .nullable()
      .describe("The last collection or publishing error."),
    // Since issue #16; optional so an older node's heartbeat still parses.
    schedule: NodeScheduleSummary.optional(),
    currentWork: z
      .string()
      .max(300)
      .nullable()
      .optional()
      .describe("What it is doing now: the longest-running request, or null when idle."),
    natsServer: z
      .string()
      .max(300)
      .nullable()
      .optional()
      .describe("The NATS server it is connected to (host:port, never credentials)."),
  })
  .meta({ id: "NodeHeartbeat" });
export type NodeHeartbeat = z.infer<typeof NodeHeartbeat>;

/** What a node page shows about its liveness and work (from its last heartbeat). */
export const NodeLiveness = z
  .object({
    state: z
      .enum(["online", "offline", "never"])
      .describe("online: a heartbeat within three intervals; offline: older; never: none yet."),
    heartbeat: NodeHeartbeat.nullable(),
    rejected: z.number().int().nonnegative().describe("Samples rejected from it, all time."),
  })
  .meta({ id: "NodeLiveness" });
export type NodeLiveness = z.infer<typeof NodeLiveness>;

/**
 * Published by the worker on `og.v1.live.values.<ownerId>` (core NATS) after a commit changed an
 * owner's current values or their freshness; the console's live relay passes it on over SSE and
 * the page reads the values again.
 */
export const LiveValuesChanged = z.object({
  ownerKind: OwnerKind,
  ownerId: z.uuid(),
  signals: z.array(z.string()).describe("The signals whose current value or state changed."),
  at: Timestamp,
});
export type LiveValuesChanged = z.infer<typeof LiveValuesChanged>;
