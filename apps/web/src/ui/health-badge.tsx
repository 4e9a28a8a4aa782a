"use client";

import type { HealthSummary, Verdict } from "@omniglass/contracts";
import { useLiveVerdict } from "~/client/use-live-health";
import { mutedClass } from "./controls";
import { useLiveConnection } from "./freshness";
import { Time } from "./time";

const STYLES: Record<Verdict | "not-monitored" | "not-judged", string> = {
  healthy: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  incomplete: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-200",
  unknown: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  "not-monitored": "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  "not-judged": "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
  degraded: "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-200",
  outage: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
};

const WORDS: Record<keyof typeof STYLES, string> = {
  healthy: "healthy",
  incomplete: "incomplete",
  unknown: "unknown",
  "not-monitored": "not monitored",
  "not-judged": "not judged yet",
  degraded: "degraded",
  outage: "outage",
};

/**
 * An owner's health verdict: the word with its colour (never the colour alone) and since when, via
 * the one time formatter. `unknown`, `not monitored` (an unknown whose cause says nothing polls
 * it) and a row not judged yet are said in words, never left blank. With `ownerId` it follows the
 * live health stream, so it changes without a reload. While the live connection is lost the
 * verdict is greyed and said "last known": it may have changed since.
 */
export function HealthBadge({
  health,
  ownerId,
  notMonitored = false,
  showSince = true,
}: {
  health: HealthSummary | null | undefined;
  ownerId?: string;
  notMonitored?: boolean;
  showSince?: boolean;
}) {
  const current = useLiveVerdict(ownerId, health ?? null);
  const stale = useLiveConnection().lost;
  const state: keyof typeof STYLES = !current
    ? "not-judged"
    : current.verdict === "unknown" && notMonitored
      ? "not-monitored"
      : current.verdict;
  return (
    <span
      className="inline-flex flex-wrap items-center gap-1"
      data-testid="health"
      data-verdict={current?.verdict ?? "none"}
      data-stale={stale ? "true" : "false"}
    >
      <span
        className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium uppercase tracking-wide ${stale ? STYLES.unknown : STYLES[state]}`}
      >
        {WORDS[state]}
        {stale ? <span className="ml-1 normal-case">(last known)</span> : null}
      </span>
      {current && showSince ? (
        <span className={`text-xs ${mutedClass}`}>
          since <Time value={current.since} />
        </span>
      ) : null}
    </span>
  );
}
