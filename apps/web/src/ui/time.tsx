"use client";

import { useEffect, useState } from "react";

/** The current time, re-rendering every `intervalMs`, for ages that keep counting. */
export function useNow(intervalMs = 1_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function formatAge(from: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const FORMAT = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "medium",
});

/** An instant in the viewer's time zone, with its age; the ISO value is kept for machines and tests. */
export function Instant({ value, now }: { value: string | null; now: Date }) {
  if (!value) return <span className="text-zinc-500">never</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={FORMAT.format(date)}>
      {FORMAT.format(date)} <span className="text-zinc-500">({formatAge(date, now)})</span>
    </time>
  );
}
