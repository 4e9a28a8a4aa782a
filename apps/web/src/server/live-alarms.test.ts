import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { SUBJECTS } from "@omniglass/bus";
import { allowedBy, createAlarmRelay, type LiveAccess } from "./live-alarms";
import { liveStream, type LiveSource } from "./live-stream";

const SEEN = "0190a0a0-0000-7000-8000-000000000001";
const HIDDEN = "0190a0a0-0000-7000-8000-000000000002";
const alarm = (alarmId: string, ownerId: string, kind = "opened") =>
  JSON.stringify({
    alarmId,
    kind,
    owner: { kind: "component", id: ownerId },
    severity: "critical",
    at: "2026-12-01T10:00:00.000Z",
  });
const health = (ownerId: string) =>
  JSON.stringify({
    ownerKind: "system",
    ownerId,
    verdict: "outage",
    previous: "healthy",
    at: "2026-12-01T10:00:00.000Z",
  });
const id = (n: number) => `0190a0a0-0000-7000-8000-${String(n).padStart(12, "0")}`;

/** Access that sees SEEN's alarms and SEEN as an owner, counting the checks it answers. */
function countingAccess() {
  const asked: string[] = [];
  const access: LiveAccess = {
    canSeeAlarm: async (alarmId) => {
      asked.push(`alarm ${alarmId}`);
      return alarmId.endsWith("1") || alarmId.endsWith("3");
    },
    canSeeOwner: async (kind, ownerId) => {
      asked.push(`${kind} ${ownerId}`);
      return ownerId === SEEN;
    },
  };
  return { asked, access };
}

describe("live alarm relay", () => {
  it("passes on the alarms and verdicts the caller may see, and nothing else", async () => {
    const { access } = countingAccess();
    const relay = createAlarmRelay(access);
    expect(await relay.toEvent(alarm(id(1), SEEN), SUBJECTS.liveAlarms)).toMatchObject({
      event: "alarm",
      data: { alarmId: id(1), owner: { id: SEEN } },
    });
    expect(await relay.toEvent(alarm(id(2), HIDDEN), SUBJECTS.liveAlarms)).toBeNull();
    expect(await relay.toEvent(health(SEEN), SUBJECTS.liveHealth(SEEN))).toMatchObject({
      event: "health",
      data: { ownerId: SEEN, verdict: "outage" },
    });
    expect(await relay.toEvent(health(HIDDEN), SUBJECTS.liveHealth(HIDDEN))).toBeNull();
    // A verdict on another owner's subject, garbage, a message off contract: dropped unasked.
    expect(await relay.toEvent(health(SEEN), SUBJECTS.liveHealth(HIDDEN))).toBeNull();
    expect(await relay.toEvent("not json", SUBJECTS.liveAlarms)).toBeNull();
    expect(await relay.toEvent(JSON.stringify({ alarmId: id(1) }), SUBJECTS.liveAlarms)).toBe(null);
  });

  it("asks once per owner until it forgets (the next reauthorization)", async () => {
    const { asked, access } = countingAccess();
    const relay = createAlarmRelay(access);
    await Promise.all([
      relay.toEvent(alarm(id(1), SEEN), SUBJECTS.liveAlarms),
      relay.toEvent(alarm(id(3), SEEN, "resolved"), SUBJECTS.liveAlarms),
      relay.toEvent(alarm(id(1), SEEN, "acknowledged"), SUBJECTS.liveAlarms),
    ]);
    expect(asked).toEqual([`alarm ${id(1)}`]);
    relay.forget();
    await relay.toEvent(alarm(id(3), SEEN), SUBJECTS.liveAlarms);
    expect(asked).toEqual([`alarm ${id(1)}`, `alarm ${id(3)}`]);
  });

  it("drops a message it cannot judge, and asks again next time", async () => {
    let calls = 0;
    const relay = createAlarmRelay({
      canSeeAlarm: async () => {
        calls += 1;
        if (calls === 1) throw new Error("database unreachable");
        return true;
      },
      canSeeOwner: async () => true,
    });
    expect(await relay.toEvent(alarm(id(1), SEEN), SUBJECTS.liveAlarms)).toBeNull();
    expect(await relay.toEvent(alarm(id(1), SEEN), SUBJECTS.liveAlarms)).not.toBeNull();
    expect(calls).toBe(2);
  });

  it("takes a procedure's refusal as no and rethrows a fault", async () => {
    expect(await allowedBy(async () => ({}))).toBe(true);
    expect(
      await allowedBy(async () => {
        throw new TRPCError({ code: "NOT_FOUND" });
      }),
    ).toBe(false);
    await expect(
      allowedBy(async () => {
        throw new TRPCError({ code: "INTERNAL_SERVER_ERROR" });
      }),
    ).rejects.toThrow();
  });
});

describe("live stream with checks", () => {
  function drivenSource() {
    const state = { push: (_payload: string, _subject: string) => {} };
    const source: LiveSource = {
      subscribe(onMessage) {
        state.push = onMessage;
        return () => {};
      },
      stillAllowed: async () => true,
    };
    return { state, source };
  }

  async function framesUntil(reader: ReadableStreamDefaultReader<Uint8Array>, count: number) {
    const decoder = new TextDecoder();
    let text = "";
    while ((text.match(/^event: /gm) ?? []).length < count)
      text += decoder.decode((await reader.read()).value);
    return text;
  }

  it("keeps the order of arrival when a slow check precedes a fast one", async () => {
    const { state, source } = drivenSource();
    const abort = new AbortController();
    const stream = liveStream({
      ready: { stream: "test" },
      toEvent: (payload) =>
        payload === "slow"
          ? new Promise((r) => setTimeout(() => r({ event: "e", data: "slow" }), 30))
          : { event: "e", data: payload },
      source,
      signal: abort.signal,
      release: () => {},
    });
    const reader = stream.getReader();
    await framesUntil(reader, 1);
    state.push("slow", "s");
    state.push("fast", "s");
    const text = await framesUntil(reader, 2);
    expect(text.indexOf('"slow"')).toBeLessThan(text.indexOf('"fast"'));
    abort.abort();
  });

  it("says when its bus drops (source) and when it is back (ready), and stops watching on close", async () => {
    const { source } = drivenSource();
    let bus: (up: boolean) => void = () => {};
    let watching = false;
    source.watch = (listener) => {
      bus = listener;
      watching = true;
      return () => (watching = false);
    };
    const abort = new AbortController();
    const stream = liveStream({
      ready: { stream: "test" },
      toEvent: () => null,
      source,
      signal: abort.signal,
      release: () => {},
    });
    const reader = stream.getReader();
    await framesUntil(reader, 1);
    expect(watching).toBe(true);
    bus(false);
    bus(true);
    const text = await framesUntil(reader, 2);
    expect(text.match(/^event: .*$/gm)).toEqual(["event: source", "event: ready"]);
    expect(text).toContain('"state":"down"');
    abort.abort();
    expect(watching).toBe(false);
  });

  it("tells a page that fell too far behind to read again (lagged)", async () => {
    const { state, source } = drivenSource();
    const abort = new AbortController();
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const stream = liveStream({
      ready: { stream: "test" },
      toEvent: async (payload) => {
        await gate;
        return { event: "e", data: payload };
      },
      source,
      signal: abort.signal,
      release: () => {},
      maxPending: 2,
    });
    const reader = stream.getReader();
    await framesUntil(reader, 1);
    for (const n of ["1", "2", "3", "4"]) state.push(n, "s");
    open();
    const text = await framesUntil(reader, 3);
    expect(text.match(/^event: .*$/gm)).toEqual(["event: e", "event: e", "event: lagged"]);
    expect(text).not.toContain('"3"');
    abort.abort();
  });
});
