import { OmniglassError } from "../errors";

/*
 * node:crypto is loaded when first used, not imported: the domain's barrel is also bundled
 * into the console's client code (permissions), where a static `node:crypto` import breaks the
 * build. Signing only ever runs in Node (≥ 20.16 has process.getBuiltinModule).
 */
const nodeCrypto = () => process.getBuiltinModule("node:crypto");
const createHmac = (algorithm: string, key: Buffer) => nodeCrypto().createHmac(algorithm, key);
const randomBytes = (size: number) => nodeCrypto().randomBytes(size);
const timingSafeEqual = (a: Buffer, b: Buffer) => nodeCrypto().timingSafeEqual(a, b);

/**
 * Standard Webhooks 1.0 (https://www.standardwebhooks.com/, spec/standard-webhooks.md), the
 * symmetric scheme, exactly:
 *
 * - headers `webhook-id` (stable across the retries of one delivery), `webhook-timestamp`
 *   (integer Unix seconds of the *attempt*), `webhook-signature` (space-separated `v1,<sig>`);
 * - `<sig>` = base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")) over the exact bytes sent;
 * - secrets are `whsec_` + base64 of 24…64 random bytes; the key is the decoded bytes;
 * - receivers compare in constant time and refuse a timestamp outside a tolerance (5 minutes).
 *
 * Retries follow the spec's example schedule with jitter; responses are handled as the spec
 * suggests: 2xx delivered, 410 disables the endpoint, 429 / 502 / 504 throttle, a Retry-After
 * is honoured, everything else is a failure retried on the schedule and then dead-lettered.
 */

export const WEBHOOK_SECRET_PREFIX = "whsec_";
export const WEBHOOK_SECRET_MIN_BYTES = 24;
export const WEBHOOK_SECRET_MAX_BYTES = 64;
/** The request timeout (the spec recommends 15–30 s). */
export const WEBHOOK_TIMEOUT_MS = 15_000;
/** How far a receiver lets `webhook-timestamp` be from its clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The delay before each attempt, the first immediate (the spec's example schedule: about 3 days
 * and 3 hours in all, ten attempts). After the last one fails the delivery is dead-lettered.
 */
export const WEBHOOK_RETRY_SCHEDULE_MS = [
  0,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  24 * HOUR,
] as const;
/** Each delay is scaled by a random factor in [1 − J, 1 + J). */
export const WEBHOOK_RETRY_JITTER = 0.1;
/** A Retry-After further out than this is taken as this. */
export const WEBHOOK_MAX_RETRY_AFTER_MS = 24 * HOUR;

// --- secrets and signatures ------------------------------------------------------------------

/** The HMAC key of a `whsec_` secret. Throws INVALID on field `secret`. */
export function parseWebhookSecret(secret: string): Buffer {
  const fail = (message: string): never => {
    throw new OmniglassError("INVALID", `Invalid webhook secret: ${message}`, {
      fieldErrors: [{ field: "secret", message }],
    });
  };
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) fail(`must start with ${WEBHOOK_SECRET_PREFIX}`);
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    fail(`must be ${WEBHOOK_SECRET_PREFIX} followed by base64`);
  }
  const key = Buffer.from(encoded, "base64");
  if (key.length < WEBHOOK_SECRET_MIN_BYTES || key.length > WEBHOOK_SECRET_MAX_BYTES) {
    fail(
      `must hold ${WEBHOOK_SECRET_MIN_BYTES}…${WEBHOOK_SECRET_MAX_BYTES} bytes (has ${key.length})`,
    );
  }
  return key;
}

/** A new random secret, `whsec_` + base64 of 32 bytes. */
export function generateWebhookSecret(bytes = 32): string {
  if (bytes < WEBHOOK_SECRET_MIN_BYTES || bytes > WEBHOOK_SECRET_MAX_BYTES) {
    throw new RangeError(
      `a secret holds ${WEBHOOK_SECRET_MIN_BYTES}…${WEBHOOK_SECRET_MAX_BYTES} bytes`,
    );
  }
  return WEBHOOK_SECRET_PREFIX + randomBytes(bytes).toString("base64");
}

function signedContent(id: string, timestampSeconds: number | string, body: string | Uint8Array) {
  return Buffer.concat([Buffer.from(`${id}.${timestampSeconds}.`), Buffer.from(body)]);
}

function assertSignable(id: string, timestampSeconds: number): void {
  // The spec: neither may contain a "." (it would let one signed content pass for another).
  if (id === "" || id.includes(".") || /\s/.test(id)) {
    throw new RangeError("webhook-id must be non-empty, without dots or spaces");
  }
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError("webhook-timestamp must be whole Unix seconds");
  }
}

/** `v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the secret's key. */
export function signWebhook(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): string {
  assertSignable(id, timestampSeconds);
  const mac = createHmac("sha256", parseWebhookSecret(secret));
  return `v1,${mac.update(signedContent(id, timestampSeconds, body)).digest("base64")}`;
}

export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The three headers of one attempt. Several secrets (the current one first, then one being
 * rotated out) give several space-separated signatures: zero-downtime rotation.
 */
export function webhookHeaders(input: {
  secrets: readonly string[];
  id: string;
  timestampSeconds: number;
  body: string | Uint8Array;
}): WebhookHeaders {
  if (input.secrets.length === 0) throw new RangeError("at least one secret");
  return {
    "webhook-id": input.id,
    "webhook-timestamp": String(input.timestampSeconds),
    "webhook-signature": input.secrets
      .map((secret) => signWebhook(secret, input.id, input.timestampSeconds, input.body))
      .join(" "),
  };
}

export type WebhookVerification =
  | { ok: true }
  | {
      ok: false;
      reason: "missing-header" | "bad-timestamp" | "too-old" | "too-new" | "no-valid-signature";
    };

function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/**
 * Verifies a received webhook as a receiver following the spec would: all three headers, the
 * timestamp within the tolerance of `now` either way, and at least one `v1` signature equal
 * (in constant time) to ours under one of the receiver's secrets. Other schemes (`v1a`) are
 * skipped, not failed.
 */
export function verifyWebhook(input: {
  secrets: string | readonly string[];
  headers: Record<string, string | undefined>;
  body: string | Uint8Array;
  now: Date;
  toleranceSeconds?: number;
}): WebhookVerification {
  const id = header(input.headers, "webhook-id");
  const timestamp = header(input.headers, "webhook-timestamp");
  const signatures = header(input.headers, "webhook-signature");
  if (!id || !timestamp || !signatures) return { ok: false, reason: "missing-header" };
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: "bad-timestamp" };
  const tolerance = input.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const sentSeconds = Number(timestamp);
  if (sentSeconds < nowSeconds - tolerance) return { ok: false, reason: "too-old" };
  if (sentSeconds > nowSeconds + tolerance) return { ok: false, reason: "too-new" };

  const content = signedContent(id, timestamp, input.body);
  const secrets = typeof input.secrets === "string" ? [input.secrets] : input.secrets;
  const expected = secrets.map((secret) =>
    createHmac("sha256", parseWebhookSecret(secret)).update(content).digest(),
  );
  for (const entry of signatures.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(entry.slice(comma + 1), "base64");
    for (const mac of expected) {
      if (given.length === mac.length && timingSafeEqual(given, mac)) return { ok: true };
    }
  }
  return { ok: false, reason: "no-valid-signature" };
}

// --- the retry schedule and responses ----------------------------------------------------------

/**
 * When to make attempt `attempts + 1`, after `attempts` attempts failed (1 = the immediate
 * first one); null when the schedule is spent (dead-letter). `random` is a number in [0, 1)
 * or a function returning one — `Math.random` in production, a fixed value in tests.
 */
export function nextAttemptAt(
  attempts: number,
  now: Date,
  random: number | (() => number),
  schedule: readonly number[] = WEBHOOK_RETRY_SCHEDULE_MS,
): Date | null {
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError("attempts counts the attempts made, from 1");
  }
  const delay = schedule[attempts];
  if (delay === undefined) return null;
  const r = typeof random === "function" ? random() : random;
  if (!(r >= 0 && r < 1)) throw new RangeError("random must be a number in [0, 1)");
  const factor = 1 - WEBHOOK_RETRY_JITTER + 2 * WEBHOOK_RETRY_JITTER * r;
  return new Date(now.getTime() + Math.round(delay * factor));
}

/** A Retry-After value (delta-seconds or an HTTP date) as an instant, capped; null if unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): Date | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  let at: number;
  if (/^\d+$/.test(text)) at = now.getTime() + Number(text) * SECOND;
  else if (/[a-z]/i.test(text) && !Number.isNaN(Date.parse(text))) at = Date.parse(text);
  else return null;
  return new Date(
    Math.min(Math.max(at, now.getTime()), now.getTime() + WEBHOOK_MAX_RETRY_AFTER_MS),
  );
}

export type AttemptResult =
  | { kind: "response"; status: number; retryAfter?: string | null }
  | { kind: "timeout" }
  | { kind: "network-error" };

export type AttemptOutcome =
  | { outcome: "delivered" }
  /** 410 Gone: the receiver wants no more; disable the endpoint. */
  | { outcome: "disable-endpoint" }
  /**
   * Try again at `at`. `throttleUntil`: the endpoint asked to slow down (429, 502, 504 or a
   * Retry-After); send it nothing before then.
   */
  | { outcome: "retry"; at: Date; throttleUntil: Date | null; reason: string }
  | { outcome: "dead-letter"; reason: string };

const THROTTLING = new Set([429, 502, 504]);

/**
 * What follows attempt number `attempts` (from 1): delivered, disable the endpoint, retry (when
 * and whether to throttle), or dead-letter once the schedule is spent. A Retry-After moves the
 * next attempt later, never earlier than the schedule.
 */
export function classifyResponse(
  result: AttemptResult,
  context: {
    attempts: number;
    now: Date;
    random: number | (() => number);
    /** The delays before each attempt (default the spec's); tests pass a short one. */
    schedule?: readonly number[];
  },
): AttemptOutcome {
  if (result.kind === "response" && result.status >= 200 && result.status <= 299) {
    return { outcome: "delivered" };
  }
  if (result.kind === "response" && result.status === 410) return { outcome: "disable-endpoint" };
  const reason =
    result.kind === "response"
      ? `HTTP ${result.status}`
      : result.kind === "timeout"
        ? `no response within ${WEBHOOK_TIMEOUT_MS / 1000} s`
        : "network error";
  const schedule = context.schedule ?? WEBHOOK_RETRY_SCHEDULE_MS;
  const scheduled = nextAttemptAt(context.attempts, context.now, context.random, schedule);
  if (scheduled === null) {
    return {
      outcome: "dead-letter",
      reason: `${reason}; ${schedule.length} attempts made`,
    };
  }
  const retryAfter =
    result.kind === "response" ? parseRetryAfter(result.retryAfter, context.now) : null;
  const at = retryAfter && retryAfter > scheduled ? retryAfter : scheduled;
  const throttled =
    retryAfter !== null || (result.kind === "response" && THROTTLING.has(result.status));
  return { outcome: "retry", at, throttleUntil: throttled ? (retryAfter ?? at) : null, reason };
}
