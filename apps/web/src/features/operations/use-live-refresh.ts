"use client";

import { useEffect, useRef, useState } from "react";
import { listenLive, type LiveState } from "~/client/live-connection";

/** How often the operations views read again (heartbeats have no live event of their own). */
export const REFRESH_MS = 3_000;

/**
 * The shared live connection's state with since when; when it (re)opens or falls behind, the
 * caller reads again. Heartbeats are not pushed: the views also refetch every REFRESH_MS.
 */
export function useLiveRefresh(onReady: () => void): { state: LiveState; since: string } {
  const [live, setLive] = useState<{ state: LiveState; since: string }>(() => ({
    state: "connecting",
    since: new Date().toISOString(),
  }));
  const handler = useRef(onReady);
  handler.current = onReady;
  useEffect(
    () =>
      listenLive({
        onReady: () => handler.current(),
        onState: (state) =>
          setLive((prev) =>
            prev.state === state ? prev : { state, since: new Date().toISOString() },
          ),
      }),
    [],
  );
  return live;
}
