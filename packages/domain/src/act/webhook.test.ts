import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OmniglassError } from "../errors";
import {
  WEBHOOK_RETRY_SCHEDULE_MS,
  classifyResponse,
  generateWebhookSecret,
  nextAttemptAt,
  parseRetryAfter,
  parseWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from "./webhook";

/** Our own reading of the spec, written here apart from the implementation. */
function expectedSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
const OLD_SECRET = `whsec_${Buffer.alloc(24, 9).toString("base64")}`;
const BODY = '{"type":"alarm.opened","timestamp":"2026-12-01T12:00:00Z","data":{"sequence":1}}';
const NOW = new Date("2026-12-01T12:00:00Z");
const TS = NOW.getTime() / 1000;

describe("signatures", () => {
  it("matches the Standard Webhooks libraries' published test vector", () => {
    // secret, id, timestamp, body and signature from the reference libraries' tests.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const signature = signWebhook(
      secret,
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(
      verifyWebhook({
        secrets: secret,
        headers: {
          "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
          "webhook-timestamp": "1614265330",
          "webhook-signature": signature,
        },
        body: '{"test": 2432232314}',
        now: new Date(1614265330 * 1000),
      }),
    ).toEqual({ ok: true });
  });

  it("signs id.timestamp.body with HMAC-SHA256 under the decoded key (computed independently)", () => {
    for (const [id, body] of [
      ["dlv_01", BODY],
      ["0b9d2c7e-5f0e-4c57-9a5b-3b8f6a1d2e4f", "{}"],
      ["x", "ünïcödé ✓"],
    ] as const) {
      expect(signWebhook(SECRET, id, TS, body)).toBe(expectedSignature(SECRET, id, TS, body));
    }
    expect(signWebhook(SECRET, "a", TS, Buffer.from(BODY))).toBe(
      signWebhook(SECRET, "a", TS, BODY),
    );
  });

  it("sends one signature per secret, space-separated, for rotation", () => {
    const headers = webhookHeaders({
      secrets: [SECRET, OLD_SECRET],
      id: "dlv_1",
      timestampSeconds: TS,
      body: BODY,
    });
    expect(headers).toEqual({
      "webhook-id": "dlv_1",
      "webhook-timestamp": String(TS),
      "webhook-signature": `${expectedSignature(SECRET, "dlv_1", TS, BODY)} ${expectedSignature(OLD_SECRET, "dlv_1", TS, BODY)}`,
    });
  });

  it("refuses ids and timestamps that would make the signed content ambiguous", () => {
    expect(() => signWebhook(SECRET, "a.b", TS, BODY)).toThrow(RangeError);
    expect(() => signWebhook(SECRET, "", TS, BODY)).toThrow(RangeError);
    expect(() => signWebhook(SECRET, "a", 1.5, BODY)).toThrow(RangeError);
  });

  it.each([
    ["abc", "must start with whsec_"],
    ["whsec_not base64!", "base64"],
    [`whsec_${Buffer.alloc(16).toString("base64")}`, "24…64 bytes (has 16)"],
    [`whsec_${Buffer.alloc(65).toString("base64")}`, "24…64 bytes (has 65)"],
  ])("refuses the secret %s, naming the field", (secret, message) => {
    try {
      parseWebhookSecret(secret);
      throw new Error("expected a refusal");
    } catch (error) {
      expect(error).toBeInstanceOf(OmniglassError);
      expect((error as OmniglassError).fieldErrors[0]?.field).toBe("secret");
      expect((error as OmniglassError).fieldErrors[0]?.message).toContain(message);
    }
  });

  it("generates whsec_ secrets of 32 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(parseWebhookSecret(a)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe("verifyWebhook", () => {
  const headers = (overrides: Record<string, string | undefined> = {}) => ({
    "webhook-id": "dlv_1",
    "webhook-timestamp": String(TS),
    "webhook-signature": expectedSignature(SECRET, "dlv_1", TS, BODY),
    ...overrides,
  });
  const verify = (
    h: Record<string, string | undefined>,
    extra: Partial<Parameters<typeof verifyWebhook>[0]> = {},
  ) => verifyWebhook({ secrets: SECRET, headers: h, body: BODY, now: NOW, ...extra });

  it("accepts a valid delivery, headers in any case", () => {
    expect(verify(headers())).toEqual({ ok: true });
    expect(
      verify({
        "Webhook-Id": "dlv_1",
        "Webhook-Timestamp": String(TS),
        "Webhook-Signature": expectedSignature(SECRET, "dlv_1", TS, BODY),
      }),
    ).toEqual({ ok: true });
  });

  it("accepts when one of several signatures matches, skipping other schemes", () => {
    const good = expectedSignature(SECRET, "dlv_1", TS, BODY);
    const signature = `v1a,${Buffer.alloc(64).toString("base64")} v1,${Buffer.alloc(32).toString("base64")} ${good}`;
    expect(verify(headers({ "webhook-signature": signature }))).toEqual({ ok: true });
    // A receiver holding both secrets during rotation accepts the old one's signature.
    const old = expectedSignature(OLD_SECRET, "dlv_1", TS, BODY);
    expect(
      verify(headers({ "webhook-signature": old }), { secrets: [SECRET, OLD_SECRET] }),
    ).toEqual({ ok: true });
  });

  it.each([
    ["a tampered body", { body: `${BODY} ` }, {}, "no-valid-signature"],
    ["another secret", { secrets: OLD_SECRET }, {}, "no-valid-signature"],
    ["another id", {}, { "webhook-id": "dlv_2" }, "no-valid-signature"],
    ["a signature without scheme", {}, { "webhook-signature": "abc" }, "no-valid-signature"],
    ["a missing header", {}, { "webhook-signature": undefined }, "missing-header"],
    ["a timestamp that is not seconds", {}, { "webhook-timestamp": "2026-12-01" }, "bad-timestamp"],
    ["a timestamp 301 s old", { now: new Date(NOW.getTime() + 301_000) }, {}, "too-old"],
    ["a timestamp 301 s ahead", { now: new Date(NOW.getTime() - 301_000) }, {}, "too-new"],
  ] as const)("refuses %s", (_, extra, override, reason) => {
    expect(verify(headers(override), extra as never)).toEqual({ ok: false, reason });
  });

  it("accepts at the edge of the tolerance", () => {
    expect(verify(headers(), { now: new Date(NOW.getTime() + 300_000) })).toEqual({ ok: true });
    expect(
      verify(headers(), { now: new Date(NOW.getTime() + 61_000), toleranceSeconds: 60 }),
    ).toEqual({
      ok: false,
      reason: "too-old",
    });
  });
});

describe("the retry schedule", () => {
  it("is the spec's: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h", () => {
    expect(WEBHOOK_RETRY_SCHEDULE_MS.map((ms) => ms / 1000)).toEqual([
      0, 5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400,
    ]);
  });

  it("jitters each delay within ±10%, from the random value given", () => {
    const delay = (attempts: number, r: number) =>
      nextAttemptAt(attempts, NOW, () => r)!.getTime() - NOW.getTime();
    expect(delay(1, 0.5)).toBe(5_000);
    expect(delay(1, 0)).toBe(4_500);
    expect(delay(1, 0.999_999)).toBe(5_500);
    expect(delay(4, 0.5)).toBe(2 * 3_600_000);
    expect(delay(9, 0.25)).toBe(82_080_000); // 24 h × 0.95
  });

  it("is spent after ten attempts", () => {
    expect(nextAttemptAt(9, NOW, () => 0.5)).not.toBeNull();
    expect(nextAttemptAt(10, NOW, () => 0.5)).toBeNull();
    expect(() => nextAttemptAt(0, NOW, () => 0.5)).toThrow(RangeError);
    expect(() => nextAttemptAt(1, NOW, () => 1)).toThrow(RangeError);
    expect(nextAttemptAt(1, NOW, 0)).toEqual(new Date(NOW.getTime() + 4_500));
  });
});

describe("classifyResponse", () => {
  const context = { attempts: 1, now: NOW, random: () => 0.5 };
  const in5s = new Date(NOW.getTime() + 5_000);

  it.each([200, 201, 204, 299])("%i: delivered", (status) => {
    expect(classifyResponse({ kind: "response", status }, context)).toEqual({
      outcome: "delivered",
    });
  });

  it("410: disables the endpoint, even with attempts left", () => {
    expect(classifyResponse({ kind: "response", status: 410 }, context)).toEqual({
      outcome: "disable-endpoint",
    });
  });

  it.each([
    [{ kind: "response", status: 500 } as const, "HTTP 500"],
    [{ kind: "response", status: 301 } as const, "HTTP 301"],
    [{ kind: "response", status: 404 } as const, "HTTP 404"],
    [{ kind: "timeout" } as const, "no response within 15 s"],
    [{ kind: "network-error" } as const, "network error"],
  ])("%j: retried on the schedule", (result, reason) => {
    expect(classifyResponse(result, context)).toEqual({
      outcome: "retry",
      at: in5s,
      throttleUntil: null,
      reason,
    });
  });

  it("429 with Retry-After throttles until then (seconds or a date)", () => {
    const in2m = new Date(NOW.getTime() + 120_000);
    expect(classifyResponse({ kind: "response", status: 429, retryAfter: "120" }, context)).toEqual(
      {
        outcome: "retry",
        at: in2m,
        throttleUntil: in2m,
        reason: "HTTP 429",
      },
    );
    expect(
      classifyResponse({ kind: "response", status: 429, retryAfter: in2m.toUTCString() }, context),
    ).toMatchObject({ at: in2m, throttleUntil: in2m });
  });

  it("a Retry-After never brings an attempt earlier than the schedule; 502/504 throttle without one", () => {
    const later = { ...context, attempts: 3 }; // next: 30 min
    const in30m = new Date(NOW.getTime() + 30 * 60_000);
    expect(classifyResponse({ kind: "response", status: 503, retryAfter: "10" }, later)).toEqual({
      outcome: "retry",
      at: in30m,
      throttleUntil: new Date(NOW.getTime() + 10_000),
      reason: "HTTP 503",
    });
    expect(classifyResponse({ kind: "response", status: 502 }, context)).toMatchObject({
      at: in5s,
      throttleUntil: in5s,
    });
    expect(classifyResponse({ kind: "response", status: 429 }, context)).toMatchObject({
      at: in5s,
      throttleUntil: in5s,
    });
  });

  it("dead-letters once the schedule is spent, whatever the failure", () => {
    const last = { ...context, attempts: 10 };
    expect(classifyResponse({ kind: "response", status: 500 }, last)).toEqual({
      outcome: "dead-letter",
      reason: "HTTP 500; 10 attempts made",
    });
    expect(
      classifyResponse({ kind: "response", status: 429, retryAfter: "5" }, last),
    ).toMatchObject({
      outcome: "dead-letter",
    });
    expect(classifyResponse({ kind: "response", status: 200 }, last)).toEqual({
      outcome: "delivered",
    });
  });

  it("reads Retry-After defensively: capped at a day, never in the past, garbage ignored", () => {
    expect(parseRetryAfter("999999", NOW)).toEqual(new Date(NOW.getTime() + 86_400_000));
    expect(parseRetryAfter("Tue, 01 Dec 2020 00:00:00 GMT", NOW)).toEqual(NOW);
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter("-5", NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
  });
});
