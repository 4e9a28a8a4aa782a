"use client";

import { Muted, mutedClass } from "~/ui/controls";
import { formatValue } from "~/ui/format";
import { Time } from "~/ui/time";
import {
  SuppressionReasons,
  type Alarm,
  type AlarmWithTimeline as AlarmDetail,
} from "./alarm-parts";

type Event = AlarmDetail["timeline"][number];
type Suppression = NonNullable<Alarm["suppression"]>;

/** A `suppressed` event's value is the Suppression it wrote (anything else: not shown). */
export function asSuppression(value: unknown): Suppression | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<Suppression>;
  return Array.isArray(v.windows) && Array.isArray(v.silences) && typeof v.since === "string"
    ? (v as Suppression)
    : null;
}

/** Who did something, by the name the API joins to each event (no principal:read needed). */
const whoDid = (e: Event) => (e.by ? (e.byName ?? "a since-deleted principal") : null);

/** The values a rule read, as `signal = value` pairs when they are an object. */
function ValueText({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  const text =
    typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k} = ${formatValue(v)}`)
          .join(", ")
      : formatValue(value);
  return <span className="font-mono text-xs">{text}</span>;
}

function SampleAt({ at }: { at: string | null }) {
  if (!at) return null;
  return (
    <Muted className="text-xs">
      {" "}
      (sample of <Time value={at} />)
    </Muted>
  );
}

/**
 * `held`: what held the alarm until this event (for an `unsuppressed` one), or — for a fired or
 * reopened one — what held it from then on (it opened held).
 */
function describe(e: Event, held: Suppression | null) {
  const who = whoDid(e);
  switch (e.kind) {
    case "suppressed": {
      const reasons = asSuppression(e.value);
      return (
        <>
          <strong>Suppressed</strong> (notifications held)
          {reasons ? (
            <>
              {" "}
              by <SuppressionReasons suppression={reasons} />
            </>
          ) : null}
          {e.comment ? <>: “{e.comment}”</> : null}
        </>
      );
    }
    case "unsuppressed":
      return (
        <>
          <strong>Released</strong> (notifies again)
          {held ? (
            <>
              {" "}
              — no longer held by <SuppressionReasons suppression={held} />
            </>
          ) : null}
          {e.comment ? <>: “{e.comment}”</> : null}
        </>
      );
    case "fired":
    case "reopened":
      return (
        <>
          <strong>{e.kind === "fired" ? "Fired" : "Fired again (same episode)"}</strong> on{" "}
          <ValueText value={e.value} />
          <SampleAt at={e.sampleAt} />
          {held ? (
            <>
              {" "}
              — <strong>held</strong> from the start by <SuppressionReasons suppression={held} />
            </>
          ) : null}
        </>
      );
    case "acknowledged":
      return (
        <>
          <strong>Acknowledged</strong> by {who ?? "the platform"}
          {e.comment ? <>: “{e.comment}”</> : null}
        </>
      );
    case "unacknowledged":
      return (
        <>
          <strong>Acknowledgement withdrawn</strong>
          {who ? <> by {who}</> : null}
        </>
      );
    case "flapping":
      return <strong>Started flapping</strong>;
    case "resolved":
      return who ? (
        <>
          <strong>Resolved</strong> by {who}
          {e.comment ? <>: “{e.comment}”</> : null}
        </>
      ) : (
        <>
          <strong>Resolved</strong> by the clear sample <ValueText value={e.value} />
          <SampleAt at={e.sampleAt} />
        </>
      );
  }
}

/**
 * What happened to an alarm, oldest first: fired, acknowledged, flapping, suppressed (by which
 * window, silence or root) and released, resolved, by whom.
 */
export function AlarmTimeline({
  alarm,
  holds = [],
}: {
  alarm: AlarmDetail;
  /**
   * The why answer's suppression history, when read: it knows what held an alarm that opened
   * held (its fired event carries no reasons of its own) and so what a release ended.
   */
  holds?: readonly { seq: number; kind: string; reasons: Suppression | null }[];
}) {
  const events = [...alarm.timeline].sort((a, b) => a.seq - b.seq);
  if (events.length === 0) return <p className={`text-sm ${mutedClass}`}>No events.</p>;
  const bySeq = new Map(holds.map((h) => [h.seq, h.reasons]));
  // What held the alarm before each event (an `unsuppressed` event says what it released); a
  // fired or reopened event shows what held it from then on.
  let held: Suppression | null = null;
  const shown = events.map((e) => {
    const before = held;
    if (e.kind === "suppressed") held = asSuppression(e.value) ?? bySeq.get(e.seq) ?? null;
    if (e.kind === "unsuppressed") {
      held = null;
      return bySeq.get(e.seq) ?? before;
    }
    if (e.kind === "fired" || e.kind === "reopened") {
      held = bySeq.get(e.seq) ?? null;
      return held;
    }
    return before;
  });
  return (
    <ol className="flex flex-col gap-2 border-l border-zinc-300 pl-4 text-sm dark:border-zinc-700">
      {events.map((e, i) => (
        <li key={e.seq} data-testid="timeline-event" data-kind={e.kind}>
          <Time value={e.at} />
          <span className="ml-2">{describe(e, shown[i] ?? null)}</span>
        </li>
      ))}
    </ol>
  );
}
