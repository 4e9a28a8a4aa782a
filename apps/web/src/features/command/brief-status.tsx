"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { BriefSource, BriefStatus as Brief } from "@omniglass/contracts";
import { listenLive, type LiveState } from "~/client/live-connection";
import { useTRPC } from "~/client/trpc";
import { mutedClass } from "~/ui/controls";
import { linkClass } from "~/ui/links";
import { StatusBadge } from "~/ui/status-badge";
import { formatAbsolute, Time, useNow } from "~/ui/time";
import { BriefTile } from "./brief-tile";

/** What has no live event (collectors, workers, deliveries, plans, the sources) is read this often. */
const REFRESH_MS = 2_500;
/** Alarm and health events read the brief again, at most this often. */
const EVENT_COALESCE_MS = 250;

const SOURCE_LABELS: Record<BriefSource["name"], string> = {
  database: "Database (PostgreSQL)",
  nats: "Live bus (NATS)",
  workers: "Workers",
  collectors: "Collectors",
};

/**
 * The brief status at `/` (issue #16): what needs attention first, in the caller's scope, each
 * tile from its list view's read with its source and as-of time. It follows the shared live
 * connection (alarm and health events read it again) and reads every 2.5 s for what has no event.
 * When a read fails the last answer stays, marked unconfirmed with its age; when a source is down
 * its tiles say stale since when; nothing reads clear that cannot be vouched for.
 */
export function BriefStatus() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const options = trpc.command.brief.queryOptions({ items: 5 });
  const brief = useQuery({ ...options, refetchInterval: REFRESH_MS, retry: false });
  const live = useLiveState(
    () => void queryClient.invalidateQueries({ queryKey: options.queryKey }),
  );
  const now = useNow();
  const data: Brief | undefined = brief.data;
  const failed = brief.isError;
  // When the brief cannot be read, the public probe says which dependency is down.
  const probe = useQuery({
    ...trpc.platform.getHealth.queryOptions(),
    enabled: failed,
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const probed = failed && probe.data ? probe.data : null;
  const asOf = data?.checkedAt ?? null;
  const ageSeconds =
    asOf && now ? Math.max(0, Math.round((now.getTime() - Date.parse(asOf)) / 1000)) : null;

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-5">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Brief status</h1>
        <p className={`text-sm ${mutedClass}`} data-testid="brief-as-of">
          {asOf ? (
            <>
              As of <time dateTime={asOf}>{now ? formatAbsolute(new Date(asOf)) : asOf}</time>
              {ageSeconds !== null ? `, ${ageSeconds} s ago` : ""}
              {data?.scope === "partial" ? " · your part of the estate" : ""}
            </>
          ) : brief.isPending ? (
            "Reading…"
          ) : null}
          {" · "}
          <Link className={linkClass} href="/platform">
            Platform details
          </Link>
        </p>
      </header>

      <LiveBanner live={live} />

      {failed ? (
        <div
          role="alert"
          data-testid="brief-read-failed"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          The brief status could not be read ({brief.error.message}).{" "}
          {probed ? (
            <span data-testid="brief-probe">
              Database {probed.db.status}
              {probed.db.error ? ` (${probed.db.error})` : ""}, live bus (NATS) {probed.nats.status}
              {probed.nats.error ? ` (${probed.nats.error})` : ""}, checked{" "}
              <Time value={probed.checkedAt} />.{" "}
            </span>
          ) : null}
          {data ? (
            <>
              What is shown is the last answer, as of <Time value={data.checkedAt} />: none of it is
              confirmed now.
            </>
          ) : (
            "Nothing is known."
          )}
        </div>
      ) : null}

      {data ? (
        <Sources
          sources={data.sources}
          unconfirmed={failed}
          probed={probed ? { database: probed.db.status, nats: probed.nats.status } : null}
        />
      ) : null}

      {data ? (
        data.tiles.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>
            Your grants give none of the views the brief status is made of.
          </p>
        ) : (
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {data.tiles.map((tile) => (
              <BriefTile key={tile.key} tile={tile} unconfirmed={failed} />
            ))}
          </div>
        )
      ) : null}
    </div>
  );
}

/** The shared live connection's state, with since when; alarm and health events call `onEvent`. */
function useLiveState(onEvent: () => void): { state: LiveState; since: string } {
  const [live, setLive] = useState<{ state: LiveState; since: string }>(() => ({
    state: "connecting",
    since: new Date().toISOString(),
  }));
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poke = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        handler.current();
      }, EVENT_COALESCE_MS);
    };
    const stop = listenLive({
      onAlarm: poke,
      onHealth: poke,
      onReady: poke,
      onState: (state) =>
        setLive((prev) =>
          prev.state === state ? prev : { state, since: new Date().toISOString() },
        ),
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, []);
  return live;
}

function LiveBanner({ live }: { live: { state: LiveState; since: string } }) {
  if (live.state === "live")
    return (
      <p className={`text-sm ${mutedClass}`} data-testid="brief-live" data-state="live">
        Live: alarm and health changes show as they commit.
      </p>
    );
  return (
    <div
      role="alert"
      data-testid="brief-live"
      data-state={live.state}
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
    >
      {live.state === "connecting" ? "Connecting to the live stream" : "Live connection lost"} since{" "}
      <Time value={live.since} />: changes show only with the next read (every {REFRESH_MS / 1000}{" "}
      s).
    </div>
  );
}

function Sources({
  sources,
  unconfirmed,
  probed,
}: {
  sources: BriefSource[];
  unconfirmed: boolean;
  /** While the brief cannot be read: the public probe's answer for the two dependencies. */
  probed: { database: string; nats: string } | null;
}) {
  return (
    <section aria-labelledby="sources-heading" className="flex flex-col gap-2">
      <h2 id="sources-heading" className="text-lg font-medium">
        Sources
      </h2>
      <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
        {sources.map((source) => {
          const fresh =
            probed && (source.name === "database" || source.name === "nats")
              ? probed[source.name]
              : null;
          const shown = fresh ?? (unconfirmed ? "unknown" : source.state);
          return (
            <li
              key={source.name}
              data-testid={`brief-source-${source.name}`}
              data-state={shown}
              className="flex flex-col gap-1 rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800"
            >
              <span className="flex items-center justify-between gap-2">
                <span className="font-medium">{SOURCE_LABELS[source.name]}</span>
                <StatusBadge status={shown} />
              </span>
              <span className={`text-xs ${mutedClass}`}>
                {fresh !== null ? (
                  "probed now through the public health check (the last answer's details below)"
                ) : (
                  <>
                    {source.since ? (
                      <>
                        {source.state} since <Time value={source.since} /> ·{" "}
                      </>
                    ) : null}
                    checked <Time value={source.checkedAt} />
                    {unconfirmed ? " (last answer)" : ""}
                  </>
                )}
              </span>
              {source.detail ? <span className="text-xs">{source.detail}</span> : null}
              <span className={`text-xs ${mutedClass}`}>Source: {source.source}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
