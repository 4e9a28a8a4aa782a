"use client";

import { Muted, mutedClass } from "~/ui/controls";
import { formatValue } from "~/ui/format";
import { Time } from "~/ui/time";
import type { AlarmWithTimeline as AlarmDetail } from "./alarm-parts";

type Event = AlarmDetail["timeline"][number];

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

function describe(e: Event) {
  const who = whoDid(e);
  switch (e.kind) {
    case "fired":
    case "reopened":
      return (
        <>
          <strong>{e.kind === "fired" ? "Fired" : "Fired again (same episode)"}</strong> on{" "}
          <ValueText value={e.value} />
          <SampleAt at={e.sampleAt} />
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

/** What happened to an alarm, oldest first: fired, acknowledged, flapping, resolved, by whom. */
export function AlarmTimeline({ alarm }: { alarm: AlarmDetail }) {
  const events = [...alarm.timeline].sort((a, b) => a.seq - b.seq);
  if (events.length === 0) return <p className={`text-sm ${mutedClass}`}>No events.</p>;
  return (
    <ol className="flex flex-col gap-2 border-l border-zinc-300 pl-4 text-sm dark:border-zinc-700">
      {events.map((e) => (
        <li key={e.seq} data-testid="timeline-event" data-kind={e.kind}>
          <Time value={e.at} />
          <span className="ml-2">{describe(e)}</span>
        </li>
      ))}
    </ol>
  );
}
