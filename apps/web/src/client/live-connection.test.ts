import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listenLive, LIVE_ALARMS_URL, type LiveListener } from "./live-connection";

/** An EventSource the test drives: records instances, dispatches named events by hand. */
class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onerror: (() => void) | null = null;
  closed = false;
  private handlers = new Map<string, ((event: Event) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, handler: (event: Event) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), handler]);
  }
  emit(name: string, data: unknown) {
    const event = { data: typeof data === "string" ? data : JSON.stringify(data) };
    for (const h of this.handlers.get(name) ?? []) h(event as unknown as Event);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
}

const change = {
  alarmId: "0190a0a0-0000-7000-8000-000000000001",
  kind: "opened",
  owner: { kind: "component", id: "0190a0a0-0000-7000-8000-000000000002" },
  severity: "critical",
  at: "2026-12-01T10:00:00.000Z",
};

function recorder() {
  const seen: string[] = [];
  const listener: LiveListener = {
    onAlarm: (c) => seen.push(`alarm ${c.kind}`),
    onHealth: (c) => seen.push(`health ${c.verdict}`),
    onReady: () => seen.push("ready"),
    onState: (s) => seen.push(`state ${s}`),
  };
  return { seen, listener };
}

describe("the shared live connection", () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal("EventSource", FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("opens one stream for every listener and closes it with the last", () => {
    const a = recorder();
    const b = recorder();
    const stopA = listenLive(a.listener);
    const stopB = listenLive(b.listener);
    expect(FakeEventSource.instances.map((s) => s.url)).toEqual([LIVE_ALARMS_URL]);
    const es = FakeEventSource.instances[0]!;
    es.emit("ready", { stream: "alarms" });
    es.emit("alarm", change);
    es.emit("alarm", "not json");
    es.emit("health", { ownerId: "x", verdict: "outage" });
    es.emit("lagged", { stream: "alarms" });
    expect(b.seen).toEqual([
      "state connecting",
      "state live",
      "ready",
      "alarm opened",
      "health outage",
      "state live",
      "ready",
    ]);
    stopA();
    expect(es.closed).toBe(false);
    stopB();
    expect(es.closed).toBe(true);
  });

  it("retries a stream the server refused, and stops retrying when nobody listens", () => {
    vi.useFakeTimers();
    const a = recorder();
    const stop = listenLive(a.listener);
    const first = FakeEventSource.instances[0]!;
    first.readyState = FakeEventSource.CLOSED;
    first.onerror?.();
    expect(a.seen.at(-1)).toBe("state offline");
    vi.advanceTimersByTime(10_000);
    expect(FakeEventSource.instances).toHaveLength(2);
    const second = FakeEventSource.instances[1]!;
    second.readyState = FakeEventSource.CLOSED;
    second.onerror?.();
    stop();
    vi.advanceTimersByTime(20_000);
    expect(FakeEventSource.instances).toHaveLength(2);
  });
});
