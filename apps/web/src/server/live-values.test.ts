import { describe, expect, it } from "vitest";
import {
  liveValuesStream,
  openLiveStreams,
  parseLiveMessage,
  sseEvent,
  takeStreamSlot,
  type LiveSource,
} from "./live-values";

const OWNER = "0190a0a0-0000-7000-8000-000000000001";
const OTHER = "0190a0a0-0000-7000-8000-000000000002";
const change = (ownerId = OWNER) =>
  JSON.stringify({
    ownerKind: "component",
    ownerId,
    signals: ["power-state"],
    at: "2026-11-22T10:00:00.000Z",
  });

/** A source the test drives by hand: it records subscriptions and decides access. */
function fakeSource(allowed = true) {
  const state = { subscribed: 0, unsubscribed: 0, allowed, push: (_: string) => {} };
  const source: LiveSource = {
    subscribe(onMessage) {
      state.subscribed += 1;
      state.push = (payload) => onMessage(payload, `og.v1.live.values.${OWNER}`);
      return () => void (state.unsubscribed += 1);
    },
    stillAllowed: async () => state.allowed,
  };
  return { state, source };
}

/** Reads frames until `until` matches the text so far or the stream ends. */
async function readUntil(
  stream: ReadableStream<Uint8Array>,
  until: (text: string) => boolean,
): Promise<{ text: string; done: boolean; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return { text, done: true, reader };
    text += decoder.decode(value);
    if (until(text)) return { text, done: false, reader };
  }
}

describe("live values relay", () => {
  it("frames events as SSE with one JSON data line", () => {
    expect(sseEvent("values", { a: "x\ny" })).toBe('event: values\ndata: {"a":"x\\ny"}\n\n');
  });

  it("passes on only messages that honour the contract and name the owner", () => {
    expect(parseLiveMessage(change(), OWNER)?.signals).toEqual(["power-state"]);
    expect(parseLiveMessage(change(OTHER), OWNER)).toBeNull();
    expect(parseLiveMessage("not json", OWNER)).toBeNull();
    expect(parseLiveMessage(JSON.stringify({ ownerId: OWNER }), OWNER)).toBeNull();
  });

  it("bounds the streams a process holds, and a slot is released once", () => {
    const before = openLiveStreams();
    const first = takeStreamSlot(before + 2);
    const second = takeStreamSlot(before + 2);
    expect(first && second).toBeTruthy();
    expect(takeStreamSlot(before + 2)).toBeNull();
    first!();
    first!();
    expect(openLiveStreams()).toBe(before + 1);
    second!();
    expect(openLiveStreams()).toBe(before);
  });

  it("sends ready, then each change; ends, unsubscribes and releases when the client leaves", async () => {
    const { state, source } = fakeSource();
    const abort = new AbortController();
    let released = 0;
    const stream = liveValuesStream({
      owner: { kind: "component", id: OWNER },
      source,
      signal: abort.signal,
      release: () => void (released += 1),
    });
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    while (!text.includes("event: ready")) text += decoder.decode((await reader.read()).value);
    expect(text).toMatch(/^retry: \d+\n/);
    expect(state.subscribed).toBe(1);

    state.push(change(OTHER));
    state.push("garbage");
    state.push(change());
    text = decoder.decode((await reader.read()).value);
    expect(text).toBe(`event: values\ndata: ${change()}\n\n`);

    abort.abort();
    expect((await reader.read()).done).toBe(true);
    expect(state.unsubscribed).toBe(1);
    expect(released).toBe(1);
  });

  it("beats with comments, and closes when the caller loses access", async () => {
    const { state, source } = fakeSource();
    let released = 0;
    const stream = liveValuesStream({
      owner: { kind: "component", id: OWNER },
      source,
      signal: new AbortController().signal,
      release: () => void (released += 1),
      heartbeatMs: 20,
      reauthorizeMs: 0,
    });
    const { reader } = await readUntil(stream, (t) => /\n: \d{4}-/.test(t));
    state.allowed = false;
    for (;;) if ((await reader.read()).done) break;
    expect(state.unsubscribed).toBe(1);
    expect(released).toBe(1);
  });
});
