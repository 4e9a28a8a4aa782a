"use client";

import { useEffect, useRef, useState } from "react";
import type { HealthChanged } from "@omniglass/contracts";
import { listenLive, type LiveState } from "./live-connection";

/**
 * Health verdict changes as they commit (`/api/live/alarms`, `event: health`), for the owners the
 * caller may see; `owners` narrows them (ids; omitted: every owner). The same stream as
 * `useLiveAlarms`, one per tab however many badges listen. `onReady` when it (re)opens or fell
 * behind: read the verdicts again.
 */
export function useLiveHealth({
  owners,
  onChange,
  onReady,
  enabled = true,
}: {
  owners?: readonly string[];
  onChange: (change: HealthChanged) => void;
  onReady?: () => void;
  enabled?: boolean;
}): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const handlers = useRef({ onChange, onReady, owners });
  handlers.current = { onChange, onReady, owners };
  useEffect(() => {
    if (!enabled) return;
    return listenLive({
      onHealth: (change) => {
        const wanted = handlers.current.owners;
        if (!wanted || wanted.includes(change.ownerId)) handlers.current.onChange(change);
      },
      onReady: () => handlers.current.onReady?.(),
      onState: setState,
    });
  }, [enabled]);
  return state;
}

/**
 * The latest verdict of one owner: `initial` (what the page read) until a change arrives, and
 * back to `initial` when the stream reopens (the page reads again then). For a health badge.
 */
export function useLiveVerdict<T extends { verdict: string; since: string }>(
  ownerId: string | undefined,
  initial: T | null,
): T | { verdict: HealthChanged["verdict"]; since: string } | null {
  const [live, setLive] = useState<HealthChanged | null>(null);
  useEffect(() => setLive(null), [ownerId, initial?.verdict, initial?.since]);
  useLiveHealth({
    enabled: ownerId !== undefined,
    ...(ownerId ? { owners: [ownerId] } : {}),
    onChange: setLive,
    onReady: () => setLive(null),
  });
  return live && live.ownerId === ownerId ? { verdict: live.verdict, since: live.at } : initial;
}
