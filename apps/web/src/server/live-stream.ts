/**
 * The console's live relays, transport half (values, alarms, health): one server-sent-event
 * stream per open page, fed by a core-NATS subscription. Nothing is buffered for a page that is
 * away: a page that reconnects reads again (the `ready` event tells it to). Each relay says how a
 * bus message becomes an event (or none: not this page's, not the caller's to see).
 */

import type { BusConnection } from "@omniglass/bus";

export type NatsConnection = NonNullable<ReturnType<BusConnection["current"]>>;

/** Streams open in this process at most; beyond, 503 (the page's EventSource retries by itself). */
export const MAX_LIVE_STREAMS = 1_000;
/** A comment line this often keeps proxies and the browser from timing the stream out. */
export const HEARTBEAT_MS = 15_000;
/** The session is checked again this often: a signed-out or disabled caller loses the stream. */
export const REAUTHORIZE_MS = 60_000;
/** What the browser waits before reconnecting after the stream ends. */
export const RETRY_MS = 3_000;
/** Messages a stream may hold while it checks who may see them; beyond, it sends `lagged`. */
export const MAX_PENDING = 500;

const KEY = Symbol.for("omniglass.web.live-streams");
type Holder = { [KEY]?: { open: number } };

/** The process-wide count of open streams (route bundles are separate modules; the count is one). */
function counter(): { open: number } {
  const holder = globalThis as Holder;
  holder[KEY] ??= { open: 0 };
  return holder[KEY];
}

export function openLiveStreams(): number {
  return counter().open;
}

/** Takes a slot, or null when the process already holds MAX_LIVE_STREAMS; release exactly once. */
export function takeStreamSlot(limit = MAX_LIVE_STREAMS): (() => void) | null {
  const c = counter();
  if (c.open >= limit) return null;
  c.open += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    c.open -= 1;
  };
}

/** One SSE frame. Data lines never contain a raw newline (JSON.stringify escapes them). */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface LiveSource {
  /** Subscribes to the bus; each message with its subject. Returns the unsubscribe. */
  subscribe(onMessage: (payload: string, subject: string) => void): () => void;
  /** Resolves true while the caller may still hold the stream; false ends it. */
  stillAllowed(): Promise<boolean>;
  /**
   * Watches the bus the messages come from: `false` when it drops, `true` when it is back.
   * Returns the stop. The stream then says `source` (down: nothing is arriving, whatever the
   * page holds is getting old) and, back, `ready` (read everything again).
   */
  watch?(listener: (up: boolean) => void): () => void;
}

export interface LiveEvent {
  event: string;
  data: unknown;
}

/**
 * How a relay turns a bus message into the page's event: null for none. May be async (a scope
 * check); events still go out in the order their messages arrived.
 */
export type ToLiveEvent = (
  payload: string,
  subject: string,
) => LiveEvent | null | Promise<LiveEvent | null>;

/**
 * The stream for one page: `ready` first (the page reads then, which also covers what it missed
 * while reconnecting), an event per relevant message, a comment heartbeat, a periodic
 * reauthorization (`onReauthorized` after each that passed), and cleanup when the client goes
 * away (`signal` aborts) or the caller loses access. A page that falls more than MAX_PENDING
 * messages behind gets `lagged` (read everything again) instead of the ones it missed.
 */
export function liveStream({
  ready,
  toEvent,
  source,
  signal,
  release,
  onReauthorized,
  heartbeatMs = HEARTBEAT_MS,
  reauthorizeMs = REAUTHORIZE_MS,
  maxPending = MAX_PENDING,
}: {
  ready: unknown;
  toEvent: ToLiveEvent;
  source: LiveSource;
  signal: AbortSignal;
  release: () => void;
  onReauthorized?: () => void;
  heartbeatMs?: number;
  reauthorizeMs?: number;
  maxPending?: number;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cleanup: () => void = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      let pending = 0;
      let lagged = false;
      let queue: Promise<void> = Promise.resolve();
      const emit = (result: LiveEvent | null) => {
        if (result) send(sseEvent(result.event, result.data));
      };
      const unsubscribe = source.subscribe((payload, subject) => {
        if (closed) return;
        let result: LiveEvent | null | Promise<LiveEvent | null>;
        try {
          result = toEvent(payload, subject);
        } catch {
          return;
        }
        if (!(result instanceof Promise) && pending === 0) return emit(result);
        if (pending >= maxPending) {
          if (!lagged) {
            lagged = true;
            queue = queue.then(() => {
              lagged = false;
              send(sseEvent("lagged", ready));
            });
          }
          return;
        }
        pending += 1;
        const settled = Promise.resolve(result).catch(() => null);
        queue = queue.then(async () => {
          emit(await settled);
          pending -= 1;
        });
      });
      const stopWatching = source.watch?.((up) =>
        send(
          up
            ? sseEvent("ready", ready)
            : sseEvent("source", { state: "down", at: new Date().toISOString() }),
        ),
      );
      let lastCheck = Date.now();
      const heartbeat = setInterval(() => {
        send(`: ${new Date().toISOString()}\n\n`);
        if (Date.now() - lastCheck < reauthorizeMs) return;
        lastCheck = Date.now();
        void source.stillAllowed().then(
          (allowed) => {
            if (!allowed) close();
            else onReauthorized?.();
          },
          () => {},
        );
      }, heartbeatMs);
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        signal.removeEventListener("abort", close);
        unsubscribe();
        stopWatching?.();
        release();
        try {
          controller.close();
        } catch {
          // Already closed or errored by the runtime.
        }
      }
      cleanup = close;
      signal.addEventListener("abort", close);
      send(`retry: ${RETRY_MS}\n`);
      send(sseEvent("ready", ready));
      if (signal.aborted) close();
    },
    cancel() {
      cleanup();
    },
  });
}

/** The response headers of an event stream (no buffering by proxies, no compression). */
export function sseResponse(stream: ReadableStream<Uint8Array>, requestId: string): Response {
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "content-encoding": "none",
      "x-accel-buffering": "no",
      "x-request-id": requestId,
    },
  });
}

/** A core-NATS subscription as a live source's `subscribe` (messages with their subjects). */
export function subscribeTo(nc: NatsConnection, subjects: string[]) {
  return (onMessage: (payload: string, subject: string) => void) => {
    const subscriptions = subjects.map((subject) =>
      nc.subscribe(subject, {
        callback: (error, msg) => {
          if (!error) onMessage(msg.string(), msg.subject);
        },
      }),
    );
    return () => {
      for (const s of subscriptions) s.unsubscribe();
    };
  };
}

/** The connection's disconnects and reconnects as a live source's `watch`. */
export function watchBus(nc: NatsConnection) {
  return (listener: (up: boolean) => void) => {
    const statuses = nc.status();
    let stopped = false;
    void (async () => {
      for await (const status of statuses) {
        if (stopped) break;
        if (status.type === "disconnect") listener(false);
        else if (status.type === "reconnect") listener(true);
      }
    })().catch(() => {});
    return () => {
      stopped = true;
      (statuses as { stop?: () => void }).stop?.();
    };
  };
}
