"use client";

import { useEffect, useState } from "react";
import { listenLive, type LiveState } from "~/client/live-connection";
import { mutedClass } from "./controls";
import { formatRelative, useNow } from "./time";

/*
 * How fresh a view is (issue #16, "Live"): the age of what it shows and the state of the shared
 * live connection. A connection that was live and dropped (or that the server refused) is "lost"
 * until it reopens; while it is, nothing the live stream keeps current (health badges) reads as
 * current.
 */

/** Whether this tab's live connection has been open at least once (shared by every view). */
let everLive = false;

export interface LiveConnection {
  state: LiveState;
  /** When it entered this state (ISO). */
  since: string;
  /** It was live and is not now, or the server refused it: what it keeps current may be old. */
  lost: boolean;
}

/** The shared live connection's state with since when (one stream per tab, however many views). */
export function useLiveConnection(): LiveConnection {
  const [live, setLive] = useState<{ state: LiveState; since: string; wasLive: boolean }>(() => ({
    state: "connecting",
    since: new Date().toISOString(),
    wasLive: everLive,
  }));
  useEffect(
    () =>
      listenLive({
        onState: (state) => {
          if (state === "live") everLive = true;
          setLive((prev) =>
            prev.state === state
              ? prev
              : { state, since: new Date().toISOString(), wasLive: everLive },
          );
        },
      }),
    [],
  );
  const lost = live.state === "offline" || (live.state === "connecting" && live.wasLive);
  return { state: live.state, since: live.since, lost };
}

const CLOCK = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

function At({ ms }: { ms: number }) {
  const date = new Date(ms);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {CLOCK.format(date)}
    </time>
  );
}

/**
 * "As of 12:03:04 · 3 s ago · live", or "Live connection lost since 12:02:10 — showing what was
 * read at 12:03:04 · 1 min ago": for a page's main query (`dataUpdatedAt`, whether its last read
 * failed). The connection's state is announced politely; the ticking age is not. One line of
 * fixed height, so it never moves the page. Before the clock runs (server, hydration) it is blank.
 */
export function FreshnessLine({
  updatedAt,
  failed,
  testId = "freshness",
}: {
  updatedAt: number;
  failed: boolean;
  testId?: string;
}) {
  const live = useLiveConnection();
  const now = useNow();
  const read = updatedAt > 0 ? updatedAt : null;
  const warn = live.lost || failed;
  return (
    <p
      data-testid={testId}
      data-state={live.lost ? "lost" : live.state}
      data-failed={failed ? "true" : "false"}
      data-updated-at={read ?? ""}
      className={`min-h-5 text-sm ${warn ? "text-amber-800 dark:text-amber-300" : mutedClass}`}
    >
      <span role="status" aria-live="polite" data-testid={`${testId}-live`}>
        {!now ? null : live.lost ? (
          <>
            Live connection lost since <At ms={Date.parse(live.since)} />
            {" — "}
          </>
        ) : failed ? (
          "The last read failed — "
        ) : null}
      </span>
      {now ? (
        read === null ? (
          <span>{failed ? "nothing read yet" : "Reading…"}</span>
        ) : (
          <span data-testid={`${testId}-age`}>
            {warn ? "showing what was read at " : "As of "}
            <At ms={read} /> · {formatRelative(new Date(read), now)}
          </span>
        )
      ) : null}
      {now && !live.lost ? (
        <span>{live.state === "live" ? " · live" : " · connecting to live updates"}</span>
      ) : null}
    </p>
  );
}
