"use client";

import { useQueries } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { Muted, mutedClass } from "~/ui/controls";
import { formatValue } from "~/ui/format";
import { Time } from "~/ui/time";
import { useCan } from "~/ui/use-can";
import type { AlarmWithTimeline as AlarmDetail } from "./alarm-parts";

type Event = AlarmDetail["timeline"][number];

/** Who did something, by name: the acknowledger's name comes with the alarm, others are read. */
function usePrincipalNames(alarm: AlarmDetail): (id: string) => string {
  const trpc = useTRPC();
  const can = useCan();
  const known = new Map<string, string>();
  if (alarm.acknowledgement?.by && alarm.acknowledgement.byName)
    known.set(alarm.acknowledgement.by, alarm.acknowledgement.byName);
  const unknown = [
    ...new Set(alarm.timeline.map((e) => e.by).filter((b): b is string => !!b && !known.has(b))),
  ];
  const readable = can("principal:read") === true;
  const reads = useQueries({
    queries: (readable ? unknown : []).map((id) => ({
      ...trpc.principal.get.queryOptions({ id }),
      retry: false,
    })),
  });
  for (const r of reads) if (r.data) known.set(r.data.id, r.data.name);
  return (id) => known.get(id) ?? `principal ${id.slice(0, 8)}`;
}

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

function describe(e: Event, name: (id: string) => string) {
  const who = e.by ? name(e.by) : null;
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
  const name = usePrincipalNames(alarm);
  const events = [...alarm.timeline].sort((a, b) => a.seq - b.seq);
  if (events.length === 0) return <p className={`text-sm ${mutedClass}`}>No events.</p>;
  return (
    <ol className="flex flex-col gap-2 border-l border-zinc-300 pl-4 text-sm dark:border-zinc-700">
      {events.map((e) => (
        <li key={e.seq} data-testid="timeline-event" data-kind={e.kind}>
          <Time value={e.at} />
          <span className="ml-2">{describe(e, name)}</span>
        </li>
      ))}
    </ol>
  );
}
