"use client";

import type { AlarmsChanged, HealthChanged } from "@omniglass/contracts";

/*
 * One EventSource per browser tab on `/api/live/alarms`, shared by every hook that listens
 * (the alarm queue, each health badge): opened with the first listener, closed with the last.
 * The browser reconnects a dropped stream by itself; one the server refused (401, 503) is
 * retried here. `ready` (the stream (re)opened, or the server's bus is back) and `lagged` (the
 * page fell behind) both mean "read everything again"; `source` (the server's bus dropped) means
 * offline until then.
 */

export type LiveState = "connecting" | "live" | "offline";

export interface LiveListener {
  onAlarm?: (change: AlarmsChanged) => void;
  onHealth?: (change: HealthChanged) => void;
  /** The stream (re)opened or fell behind: read again what the page shows. */
  onReady?: () => void;
  onState?: (state: LiveState) => void;
}

/** After the server refused the stream, try again this much later. */
const RETRY_CLOSED_MS = 10_000;
export const LIVE_ALARMS_URL = "/api/live/alarms";

const listeners = new Set<LiveListener>();
let source: EventSource | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;
let state: LiveState = "connecting";

function setState(next: LiveState) {
  state = next;
  for (const l of listeners) l.onState?.(next);
}

function dataOf<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null; // A frame that is not JSON is ignored; the next ready re-reads everything.
  }
}

function open() {
  setState("connecting");
  const es = new EventSource(LIVE_ALARMS_URL);
  source = es;
  const ready = () => {
    setState("live");
    for (const l of listeners) l.onReady?.();
  };
  es.addEventListener("ready", ready);
  es.addEventListener("lagged", ready);
  // The server's bus dropped: the stream stays open but nothing arrives until its next `ready`.
  es.addEventListener("source", () => setState("offline"));
  es.addEventListener("alarm", (event) => {
    const change = dataOf<AlarmsChanged>(event);
    if (change) for (const l of listeners) l.onAlarm?.(change);
  });
  es.addEventListener("health", (event) => {
    const change = dataOf<HealthChanged>(event);
    if (change) for (const l of listeners) l.onHealth?.(change);
  });
  es.onerror = () => {
    if (source !== es) return;
    if (es.readyState === EventSource.CLOSED) {
      setState("offline");
      retry = setTimeout(open, RETRY_CLOSED_MS);
    } else {
      setState("connecting");
    }
  };
}

/** Adds a listener (opening the shared stream if it is the first); returns its removal. */
export function listenLive(listener: LiveListener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) open();
  else listener.onState?.(state);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    clearTimeout(retry);
    source?.close();
    source = null;
    state = "connecting";
  };
}
