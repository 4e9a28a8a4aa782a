"use client";

import { useEffect, useRef, useState } from "react";
import type { LiveValuesChanged } from "@omniglass/contracts";

export type LiveState = "connecting" | "live" | "offline";

/** After the server refused the stream (503, 401), try again this much later. */
const RETRY_CLOSED_MS = 10_000;

/**
 * Subscribes to an owner's live relay (`/api/live/values`): calls `onChange` with each change and
 * `onReady` whenever the stream (re)opens, when the page should read everything again. The
 * browser's EventSource reconnects by itself after a dropped stream; one the server refused is
 * retried here.
 */
export function useLiveValues({
  kind,
  ownerId,
  onChange,
  onReady,
}: {
  kind: "component" | "system" | "location";
  ownerId: string | undefined;
  onChange: (change: LiveValuesChanged) => void;
  onReady: () => void;
}): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const handlers = useRef({ onChange, onReady });
  handlers.current = { onChange, onReady };
  useEffect(() => {
    if (!ownerId) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      setState("connecting");
      source = new EventSource(
        `/api/live/values?kind=${kind}&owner=${encodeURIComponent(ownerId)}`,
      );
      source.addEventListener("ready", () => {
        setState("live");
        handlers.current.onReady();
      });
      // The server's bus dropped: nothing arrives until its `ready`, so what is shown ages.
      source.addEventListener("source", () => setState("offline"));
      source.addEventListener("values", (event) => {
        try {
          handlers.current.onChange(JSON.parse((event as MessageEvent<string>).data));
        } catch {
          // A frame that is not JSON is ignored; the next ready re-reads everything.
        }
      });
      source.onerror = () => {
        if (!source || stopped) return;
        if (source.readyState === EventSource.CLOSED) {
          setState("offline");
          retry = setTimeout(open, RETRY_CLOSED_MS);
        } else {
          setState("connecting");
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [kind, ownerId]);
  return state;
}
