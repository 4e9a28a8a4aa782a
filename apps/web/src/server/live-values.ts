import { LiveValuesChanged } from "@omniglass/contracts";

/**
 * The console's live relay, transport half: one server-sent-event stream per open page, fed by a
 * core-NATS subscription to one owner's `og.v1.live.values.<id>`. Nothing is buffered for a page
 * that is away: a page that reconnects reads its values again (the `ready` event tells it to).
 */

/** Streams open in this process at most; beyond, 503 (the page's EventSource retries by itself). */
export const MAX_LIVE_STREAMS = 1_000;
/** A comment line this often keeps proxies and the browser from timing the stream out. */
export const HEARTBEAT_MS = 15_000;
/** The session is checked again this often: a signed-out or disabled caller loses the stream. */
export const REAUTHORIZE_MS = 60_000;
/** What the browser waits before reconnecting after the stream ends. */
export const RETRY_MS = 3_000;

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

/** The payload of a bus message if it honours the contract and names this owner, else null. */
export function parseLiveMessage(payload: string, ownerId: string): LiveValuesChanged | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = LiveValuesChanged.safeParse(json);
  return parsed.success && parsed.data.ownerId === ownerId ? parsed.data : null;
}

export interface LiveSource {
  /** Subscribes to the owner's changes; returns the unsubscribe. */
  subscribe(onMessage: (payload: string) => void): () => void;
  /** Resolves true while the caller may still read the owner; false ends the stream. */
  stillAllowed(): Promise<boolean>;
}

/**
 * The stream for one page: `ready` first (the page reads its values then, which also covers what
 * it missed while reconnecting), `values` for each change, a comment heartbeat, and cleanup when
 * the client goes away (`signal` aborts) or the caller loses access.
 */
export function liveValuesStream({
  owner,
  source,
  signal,
  release,
  heartbeatMs = HEARTBEAT_MS,
  reauthorizeMs = REAUTHORIZE_MS,
}: {
  owner: { kind: string; id: string };
  source: LiveSource;
  signal: AbortSignal;
  release: () => void;
  heartbeatMs?: number;
  reauthorizeMs?: number;
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
      const unsubscribe = source.subscribe((payload) => {
        const message = parseLiveMessage(payload, owner.id);
        if (message) send(sseEvent("values", message));
      });
      let lastCheck = Date.now();
      const heartbeat = setInterval(() => {
        send(`: ${new Date().toISOString()}\n\n`);
        if (Date.now() - lastCheck < reauthorizeMs) return;
        lastCheck = Date.now();
        void source.stillAllowed().then(
          (allowed) => {
            if (!allowed) close();
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
      send(sseEvent("ready", { ownerKind: owner.kind, ownerId: owner.id }));
      if (signal.aborted) close();
    },
    cancel() {
      cleanup();
    },
  });
}
