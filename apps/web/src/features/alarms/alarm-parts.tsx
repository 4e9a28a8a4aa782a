"use client";

import type { ReactNode } from "react";
import type { ApiOutputs } from "~/client/outputs";
import type { LiveState } from "~/client/use-live-alarms";
import { Muted } from "~/ui/controls";
import { componentHref, locationHref, nodeHref, systemHref, TextLink } from "~/ui/links";
import { Time } from "~/ui/time";

/** Small pieces every alarm view shares: where its owner lives, who owns it, whether it flaps. */

/** An alarm as the list answers it, and one with its timeline. */
export type Alarm = ApiOutputs["alarm"]["list"]["items"][number];
export type AlarmWithTimeline = ApiOutputs["alarm"]["get"];

const OWNER_HREF: Record<Alarm["owner"]["kind"], (path: string) => string> = {
  component: componentHref,
  system: systemHref,
  location: locationHref,
  node: nodeHref,
  endpoint: (name) => `/webhook-endpoints/${encodeURIComponent(name)}`,
};

export const alarmHref = (id: string) => `/alarms/${encodeURIComponent(id)}`;

type Suppression = NonNullable<Alarm["suppression"]>;

/** Where each reason lives: a window's page, the silences found by reason, the root alarm. */
const windowHref = (id: string) => `/maintenance/${encodeURIComponent(id)}`;
const silenceHref = (reason: string) => `/silences?q=${encodeURIComponent(reason)}`;

/**
 * What holds an alarm's notifications, each reason linked: "window north-saturdays", "silence
 * “lamp ordered”", "behind campus.north.switch-1" (the root alarm's owner, to the root alarm).
 */
export function SuppressionReasons({ suppression }: { suppression: Suppression }) {
  const parts: ReactNode[] = [
    ...suppression.windows.map((w) => (
      <span key={`w${w.id}`} data-reason="window">
        window <TextLink href={windowHref(w.id)}>{w.name}</TextLink>
      </span>
    )),
    ...suppression.silences.map((x) => (
      <span key={`s${x.id}`} data-reason="silence">
        silence <TextLink href={silenceHref(x.reason)}>“{x.reason}”</TextLink>
        <Muted className="ml-1 text-xs">by {x.author}</Muted>
      </span>
    )),
    ...(suppression.root
      ? [
          <span key="root" data-reason="root">
            behind{" "}
            <TextLink href={alarmHref(suppression.root.alarmId)}>
              {suppression.root.owner.path}
            </TextLink>
            <Muted className="ml-1 text-xs">{suppression.root.rule}</Muted>
          </span>,
        ]
      : []),
  ];
  return (
    <span className="inline-flex flex-wrap gap-x-2">
      {parts.flatMap((p, i) => (i === 0 ? [p] : [<span key={`sep${i}`}>·</span>, p]))}
    </span>
  );
}

/** The chip of a held alarm: "suppressed" and its reasons (suppression never hides an alarm). */
export function SuppressionChip({ suppression }: { suppression: Alarm["suppression"] }) {
  if (!suppression) return null;
  return (
    <span
      data-testid="suppression-chip"
      className="inline-flex flex-wrap items-center gap-1 rounded-full bg-zinc-200 px-2 py-0.5 text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
    >
      <span className="font-medium uppercase tracking-wide">suppressed</span>
      <SuppressionReasons suppression={suppression} />
    </span>
  );
}

/** The alarm's owner linked to its own page, with the signal instance (a port) when there is one. */
export function OwnerLink({ owner, instance }: { owner: Alarm["owner"]; instance: string }) {
  return (
    <span>
      <TextLink href={OWNER_HREF[owner.kind](owner.path)}>{owner.path}</TextLink>
      {instance ? <span className="ml-1 font-mono text-xs">[{instance}]</span> : null}
      <Muted className="ml-1 text-xs">{owner.kind}</Muted>
    </span>
  );
}

/**
 * "by alice, since 3 min ago" (the absolute time on hover) — "(disabled since)" when the owner can
 * no longer act — or "nobody (not acknowledged)".
 */
export function AckText({ ack }: { ack: Alarm["acknowledgement"] }) {
  if (!ack) return <Muted>nobody (not acknowledged)</Muted>;
  return (
    <span data-testid="ack" data-owner-status={ack.byStatus}>
      by {ack.byName ?? <Muted>a deleted principal</Muted>}
      {ack.byStatus === "disabled" ? (
        <Muted className="ml-1 text-xs">(disabled since)</Muted>
      ) : null}
      , since <Time value={ack.at} />
      {ack.expiresAt ? (
        <Muted className="ml-1 text-xs">
          (lapses <Time value={ack.expiresAt} />)
        </Muted>
      ) : null}
    </span>
  );
}

/** Flapping is its own visible state, said in words. */
export function FlappingText({ alarm }: { alarm: Pick<Alarm, "flapping" | "transitions"> }) {
  return alarm.flapping ? (
    <span
      data-testid="flapping"
      data-flapping="true"
      className="inline-flex items-center rounded-full bg-violet-100 px-2 py-0.5 text-xs font-medium uppercase tracking-wide text-violet-900 dark:bg-violet-900/50 dark:text-violet-200"
    >
      flapping
    </span>
  ) : (
    <Muted className="text-xs">
      <span data-testid="flapping" data-flapping="false">
        steady
      </span>
    </Muted>
  );
}

/** Whether the page hears changes as they commit, said in words. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const text = { live: "live", connecting: "connecting…", offline: "live updates paused" }[state];
  const dot = { live: "bg-emerald-500", connecting: "bg-amber-500", offline: "bg-zinc-400" }[state];
  return (
    <span data-testid="live-state" data-state={state} className="flex items-center gap-1 text-xs">
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
