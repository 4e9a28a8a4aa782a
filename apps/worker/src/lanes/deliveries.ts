import { CONSUMERS, runBatchConsumer, type BusConnection, type ConsumerLoop } from "@omniglass/bus";
import { TransitionMessage } from "@omniglass/contracts";
import {
  DELIVERY_RETENTION_MS,
  unsafeClaimDueDeliveries,
  unsafePruneDeliveries,
  unsafePruneOutbox,
  unsafeRecordDeliveryAttempt,
  unsafeRouteTransitions,
  WEBHOOK_TIMEOUT_MS,
  webhookHeaders,
  type AttemptResult,
  type ClaimedDelivery,
  type Database,
} from "@omniglass/gateway";
import type { SecretKey } from "@omniglass/gateway/secrets";
import type { LaneErrorHandler } from "./types";

/**
 * The actions consumer: each batch of transitions from og.v1.transitions is matched against the
 * action rules and becomes deliveries in one transaction, acked after the commit (a redelivered
 * message meets the delivery's unique key and adds nothing).
 */
export function startActionsLane({
  bus,
  db,
  onError,
}: {
  bus: BusConnection;
  db: Database;
  onError: LaneErrorHandler;
}): ConsumerLoop {
  return runBatchConsumer({
    bus,
    definition: CONSUMERS.actions,
    schema: TransitionMessage,
    maxPerHandle: 100,
    handle: async (items) => {
      await unsafeRouteTransitions(
        db,
        items.map((i) => i.data),
      );
    },
    onError: (error, context) => onError("actions", error, context.stage),
  });
}

export interface DeliveryLane {
  stop(): Promise<void>;
}

const OUTBOX_KEEP_MS = 24 * 3600 * 1000;
const PRUNE_EVERY_MS = 3600 * 1000;

/**
 * The delivery lane: claims due deliveries (FOR UPDATE SKIP LOCKED with a lease, so any number of
 * workers share them and none sends one another holds), POSTs each as Standard Webhooks says
 * (webhook-id stable across retries, webhook-timestamp of this attempt, webhook-signature) with a
 * 15 s timeout, and records the outcome with one attempt row (time, status code, latency, error,
 * ≤ 1 KB of the answer): retried on the schedule, throttled on 429/502/504 or a Retry-After, the
 * endpoint disabled on 410, dead after the schedule. Never logs a secret or a body. Prunes deliveries older than 30 days and published outbox rows older than a day.
 */
export function startDeliveryLane({
  db,
  secretKey,
  onError,
  pollMs = 100,
  concurrency = 16,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
  schedule,
}: {
  db: Database;
  secretKey: SecretKey;
  onError: LaneErrorHandler;
  pollMs?: number;
  concurrency?: number;
  timeoutMs?: number;
  /** The retry delays (default the spec's); tests pass a short one. */
  schedule?: readonly number[];
}): DeliveryLane {
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let lastPrune = 0;

  async function send(d: ClaimedDelivery): Promise<void> {
    const headers = webhookHeaders({
      secrets: [d.secret],
      id: d.id,
      timestampSeconds: Math.floor(Date.now() / 1000),
      body: d.body,
    });
    const started = performance.now();
    let result: AttemptResult;
    let excerpt: string | null = null;
    let detail: string | null = null;
    try {
      const response = await fetch(d.url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "user-agent": "omniglass" },
        body: d.body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      excerpt = await readExcerpt(response);
      result = {
        kind: "response",
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
      };
    } catch (error) {
      const name = (error as { name?: string }).name;
      result =
        name === "TimeoutError" || name === "AbortError"
          ? { kind: "timeout" }
          : { kind: "network-error" };
      detail = result.kind === "network-error" ? errorCode(error) : null;
    }
    await unsafeRecordDeliveryAttempt(db, d, {
      result,
      latencyMs: performance.now() - started,
      excerpt,
      detail,
      schedule,
    });
  }

  async function pass(): Promise<number> {
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await unsafePruneDeliveries(db, new Date(Date.now() - DELIVERY_RETENTION_MS));
      await unsafePruneOutbox(db, new Date(Date.now() - OUTBOX_KEEP_MS));
    }
    const claimed = await unsafeClaimDueDeliveries(db, { secretKey, limit: concurrency });
    await Promise.all(
      claimed.map((d) => send(d).catch((error) => onError("deliveries", error, "record"))),
    );
    return claimed.length;
  }

  const loop = () => {
    if (stopping) return;
    running = pass()
      .catch((error) => {
        onError("deliveries", error, "claim");
        return 0;
      })
      .then((n) => {
        if (!stopping) timer = setTimeout(loop, n >= concurrency ? 0 : pollMs);
      });
  };
  loop();
  return {
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * The code of a failed fetch (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET` …) for the attempt
 * log: only the code, never the message, which may name the URL (and a URL may carry a token).
 */
function errorCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = cause?.code ?? (error as { code?: unknown }).code;
  return typeof code === "string" && /^[A-Z0-9_]{2,40}$/.test(code) ? code : null;
}

/** At most 1 KB of the answer, without reading a large body to its end. */
async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 1024) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  if (size === 0) return null;
  // PostgreSQL text holds no NUL: a binary answer is kept readable, never a failed record.
  const text = Buffer.concat(chunks).subarray(0, 1024).toString("utf8").replaceAll("\0", "\uFFFD");
  return text.slice(0, 1024);
}
