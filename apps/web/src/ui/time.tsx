"use client";

import { useSyncExternalStore } from "react";
import { formatDuration } from "./format";
import { mutedClass } from "./controls";

/**
 * One clock for the whole page, ticking each second. The server (and the first render in the
 * browser, while hydrating) sees no clock at all: server and browser render the same text, so
 * time can never cause a hydration mismatch (React #418); the browser fills ages in right after.
 */
let second = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    second = Math.floor(Date.now() / 1000);
    timer = setInterval(() => {
      second = Math.floor(Date.now() / 1000);
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const clientSecond = () => second || Math.floor(Date.now() / 1000);
const serverSecond = () => 0;

/** The current time, or null before the page is live in the browser (server, hydration). */
export function useNow(): Date | null {
  const s = useSyncExternalStore(subscribe, clientSecond, serverSecond);
  return s === 0 ? null : new Date(s * 1000);
}

/** `12 s ago`, `4 min 5 s ago`, `in 3 h 2 min`. */
export function formatRelative(date: Date, now: Date): string {
  const seconds = (now.getTime() - date.getTime()) / 1000;
  if (Math.abs(seconds) < 1) return "just now";
  return seconds >= 0 ? `${formatDuration(seconds)} ago` : `in ${formatDuration(-seconds)}`;
}

const ABSOLUTE = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "medium",
});

/** The absolute time in the viewer's time zone (`Dec 1, 2026, 6:29:41 PM`). Browser only. */
export function formatAbsolute(date: Date): string {
  return ABSOLUTE.format(date);
}

/** Before the clock runs: the same text on server and browser (UTC, minutes). */
const neutralText = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/**
 * The one way an instant is shown: relative to now, the absolute time in the viewer's zone on
 * hover (and for screen readers), the ISO value kept in `dateTime` for machines and tests.
 */
export function Time({ value, never = "never" }: { value: string | null; never?: string }) {
  const now = useNow();
  if (!value) return <span className={mutedClass}>{never}</span>;
  const date = new Date(value);
  if (!now) return <time dateTime={value}>{neutralText(date.toISOString())}</time>;
  return (
    <time dateTime={value} title={formatAbsolute(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
