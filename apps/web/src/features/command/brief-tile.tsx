"use client";

import Link from "next/link";
import type { BriefTile as Tile } from "@omniglass/contracts";
import { mutedClass } from "~/ui/controls";
import { linkClass } from "~/ui/links";
import { Time } from "~/ui/time";
import { briefHref, briefLinkLabel } from "./brief-links";

/**
 * One tile: its count with its state in words, the read it comes from and as of when, its first
 * items (each a link to the object that caused it and to its context) and a link to the list view
 * with the same filter. `unconfirmed`: the page could not read it again (the last answer is
 * shown); then, like a stale tile, nothing here reads clear.
 */
export function BriefTile({ tile, unconfirmed }: { tile: Tile; unconfirmed: boolean }) {
  const stale = tile.stale !== null || unconfirmed;
  const state = !tile.available
    ? "unknown"
    : stale
      ? "stale"
      : tile.total === 0
        ? "clear"
        : "attention";
  const headingId = `tile-${tile.key}`;
  return (
    <section
      aria-labelledby={headingId}
      data-testid={`brief-tile-${tile.key}`}
      data-state={state}
      data-total={tile.available ? tile.total : ""}
      className={`flex flex-col gap-2 rounded-lg border bg-white p-4 dark:bg-zinc-900 ${
        state === "attention"
          ? "border-red-300 dark:border-red-800"
          : state === "clear"
            ? "border-zinc-200 dark:border-zinc-800"
            : "border-amber-300 dark:border-amber-700"
      }`}
    >
      <div className="flex items-start justify-between gap-2">
        <h2 id={headingId} className="text-base font-medium">
          {tile.title}
        </h2>
        <span className="flex items-center gap-2">
          <span className="text-2xl font-semibold tabular-nums" data-testid="tile-total">
            {tile.available ? `${tile.total}${tile.totalIsLowerBound ? "+" : ""}` : "?"}
          </span>
          <TileBadge state={state} />
        </span>
      </div>
      {Object.keys(tile.breakdown).length > 0 ? (
        <p className={`text-xs ${mutedClass}`}>
          {Object.entries(tile.breakdown)
            .map(([k, v]) => `${k} ${v}`)
            .join(" · ")}
        </p>
      ) : null}
      {stale ? (
        <p
          className="rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          data-testid="tile-stale"
        >
          {tile.stale ? (
            <>
              Stale since <Time value={tile.stale.since} never="unknown" />: {tile.stale.reason}.
            </>
          ) : (
            <>
              Not confirmed since <Time value={tile.asOf} />: the last answer is shown.
            </>
          )}
        </p>
      ) : null}
      {!tile.available ? (
        <p className="text-xs text-red-700 dark:text-red-300">Unavailable: {tile.error}</p>
      ) : null}
      {tile.items.length > 0 ? (
        <ul className="flex flex-col gap-2 text-sm">
          {tile.items.map((item, i) => {
            const [own, ...context] = item.links;
            return (
              <li key={`${own!.kind}-${own!.ref}-${i}`} className="flex flex-col gap-0.5">
                <span className="flex flex-wrap items-center gap-2">
                  <ItemBadge state={stale ? "stale" : item.state} />
                  <Link className={linkClass} href={briefHref(own!)} data-testid="brief-item">
                    {item.title}
                  </Link>
                </span>
                <span className={`text-xs ${mutedClass}`}>
                  {item.at ? (
                    <>
                      <Time value={item.at} />
                      {" · "}
                    </>
                  ) : null}
                  {item.detail}
                  {context.map((link) => (
                    <span key={`${link.kind}-${link.ref}`}>
                      {" · "}
                      <Link className={linkClass} href={briefHref(link)}>
                        {briefLinkLabel(link)}
                      </Link>
                    </span>
                  ))}
                </span>
              </li>
            );
          })}
        </ul>
      ) : tile.available ? (
        <p className={`text-sm ${mutedClass}`}>{stale ? "None known." : "None."}</p>
      ) : null}
      <div
        className={`mt-auto flex flex-wrap items-baseline justify-between gap-2 pt-1 text-xs ${mutedClass}`}
      >
        <span>
          Source: {tile.source} · as of <Time value={tile.asOf} />
        </span>
        <Link className={linkClass} href={tile.viewAll}>
          View all{tile.available ? ` ${tile.total}` : ""}
          <span className="sr-only"> — {tile.title}</span>
        </Link>
      </div>
    </section>
  );
}

const BADGE = {
  clear: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300",
  attention: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300",
  stale: "bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300",
  unknown: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
} as const;

/** The tile's state in a word: clear (green) only for a fresh read that found nothing. */
function TileBadge({ state }: { state: keyof typeof BADGE }) {
  return (
    <span
      data-status={state}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium uppercase tracking-wide ${BADGE[state]}`}
    >
      {state}
    </span>
  );
}

const RED = new Set(["critical", "outage", "offline", "never", "dead", "down"]);
const AMBER = new Set(["warning", "degraded", "stale", "stuck", "overdue", "pending"]);

/** An item's own state in its view's words, coloured by what it means (never by colour alone). */
function ItemBadge({ state }: { state: string }) {
  const colour = RED.has(state) ? BADGE.attention : AMBER.has(state) ? BADGE.stale : BADGE.unknown;
  return (
    <span
      data-status={state}
      className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium uppercase tracking-wide ${colour}`}
    >
      {state}
    </span>
  );
}
