"use client";

import { useEffect, useRef, useState } from "react";
import type { AlarmsChanged } from "@omniglass/contracts";
import { listenLive, type LiveState } from "./live-connection";

export type { LiveState } from "./live-connection";

/**
 * Alarm changes the signed-in caller may see, as they commit (`/api/live/alarms`, `event: alarm`):
 * `onChange` with each (opened, reopened, resolved, acknowledged, unacknowledged, flapping), and
 * `onReady` whenever the stream (re)opens or fell behind, when the page should read its alarms
 * again. The message names the alarm, its owner and severity; the page reads the alarm for more.
 */
export function useLiveAlarms({
  onChange,
  onReady,
  enabled = true,
}: {
  onChange: (change: AlarmsChanged) => void;
  onReady?: () => void;
  enabled?: boolean;
}): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const handlers = useRef({ onChange, onReady });
  handlers.current = { onChange, onReady };
  useEffect(() => {
    if (!enabled) return;
    return listenLive({
      onAlarm: (change) => handlers.current.onChange(change),
      onReady: () => handlers.current.onReady?.(),
      onState: setState,
    });
  }, [enabled]);
  return state;
}
