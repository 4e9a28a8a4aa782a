"use client";

import type { LiveState } from "~/client/live-connection";
import { mutedClass } from "~/ui/controls";
import { formatDuration } from "~/ui/format";
import { Time, useNow } from "~/ui/time";
import { REFRESH_MS } from "./use-live-refresh";

const warnClass =
  "rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200";

/** An answer older than this (the reads keep failing) is stale: its states are not confirmed. */
export const ANSWER_STALE_MS = 3 * REFRESH_MS;

/**
 * Where a view's facts come from and as of when, the live connection's state, and — when the
 * read fails or the newest heartbeat is old — a warning that says so with the age. Answers
 * whether the view's states may be shown as confirmed.
 */
export function useFreshness({
  asOf,
  updatedAt,
  failed,
  newestBeatAt,
}: {
  asOf: string | null;
  updatedAt: number;
  failed: boolean;
  newestBeatAt?: string | null;
}): { confirmed: boolean; answerAgeMs: number | null; beatAgeMs: number | null } {
  const now = useNow();
  const answerAgeMs = now && updatedAt ? now.getTime() - updatedAt : null;
  const beatAgeMs = now && newestBeatAt ? now.getTime() - Date.parse(newestBeatAt) : null;
  const answerStale = failed || (answerAgeMs !== null && answerAgeMs > ANSWER_STALE_MS);
  return { confirmed: asOf !== null && !answerStale, answerAgeMs, beatAgeMs };
}

export function SourceLine({
  source,
  asOf,
  live,
  testId,
}: {
  source: string | null;
  asOf: string | null;
  live: { state: LiveState; since: string };
  testId: string;
}) {
  return (
    <p className={`text-xs ${mutedClass}`} data-testid={testId}>
      Source: {source ?? "—"} · as of <Time value={asOf} never="not yet read" /> · live connection:{" "}
      <span data-testid={`${testId}-live`} data-state={live.state}>
        {live.state}
        {live.state === "live" ? null : (
          <>
            {" "}
            since <Time value={live.since} />
          </>
        )}
      </span>{" "}
      · read every {REFRESH_MS / 1000} s
    </p>
  );
}

export function StaleWarning({
  failed,
  error,
  answerAgeMs,
  beatAgeMs,
  beatStaleMs,
}: {
  failed: boolean;
  error: string | null;
  answerAgeMs: number | null;
  beatAgeMs: number | null;
  /** The newest heartbeat older than this means the presence source itself is down. */
  beatStaleMs?: number;
}) {
  const answerOld = failed || (answerAgeMs !== null && answerAgeMs > ANSWER_STALE_MS);
  const beatOld = beatStaleMs !== undefined && beatAgeMs !== null && beatAgeMs > beatStaleMs;
  if (!answerOld && !beatOld) return null;
  return (
    <div role="alert" className={warnClass} data-testid="operations-stale">
      {answerOld ? (
        <p>
          Stale: the server did not answer{error ? ` (${error})` : ""}; what is shown is{" "}
          {answerAgeMs === null ? "no answer" : `${formatDuration(answerAgeMs / 1000)} old`} and its
          states are not confirmed.
        </p>
      ) : null}
      {beatOld && beatAgeMs !== null ? (
        <p>
          Stale: no heartbeat stored for {formatDuration(beatAgeMs / 1000)} — the heartbeat source
          (NATS, or the worker&apos;s presence lane) looks down, so every state below is as old as
          that.
        </p>
      ) : null}
    </div>
  );
}
