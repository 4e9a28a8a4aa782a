"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { CurrentValue } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { ErrorText, mutedClass } from "~/ui/controls";
import { MetricChart } from "./metric-chart";
import { PropertyTimeline } from "./property-timeline";
import { RANGES, type RangeLabel } from "./telemetry-format";

/** A signal's history over a chosen range, read again when a live change names the signal. */
export function HistoryPanel({
  componentRef,
  value,
  tick,
  onClose,
}: {
  componentRef: string;
  value: CurrentValue;
  tick: number;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [range, setRange] = useState<RangeLabel>("1 h");
  // A new range, or new samples of this signal, moves the window's end to now.
  const windowKey = `${range}/${tick}`;
  const [span, setSpan] = useState(() => ({ key: windowKey, anchor: Date.now() }));
  if (span.key !== windowKey) setSpan({ key: windowKey, anchor: Date.now() });
  const anchor = span.anchor;
  const rangeMs = RANGES.find((r) => r.label === range)!.ms;
  const samples = useQuery({
    ...trpc.component.samples.queryOptions({
      ref: componentRef,
      signal: value.signal,
      instance: value.instance,
      from: new Date(anchor - rangeMs).toISOString(),
      to: new Date(anchor).toISOString(),
    }),
    placeholderData: keepPreviousData,
  });
  const definition = useQuery({
    ...trpc.signal.get.queryOptions({ name: value.signal }),
    enabled: value.lane === "property",
  });
  const title = `${value.label}${value.instance ? ` (${value.instance})` : ""}`;
  return (
    <div
      role="region"
      aria-label={`History of ${title}`}
      className="flex flex-col gap-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-medium">History of {title}</h3>
        <div className="flex items-center gap-1" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button
              key={r.label}
              type="button"
              aria-pressed={range === r.label}
              onClick={() => setRange(r.label)}
              className={`rounded-md border px-2 py-0.5 text-xs ${
                range === r.label
                  ? "border-zinc-900 bg-zinc-900 text-white dark:border-zinc-100 dark:bg-zinc-100 dark:text-zinc-900"
                  : "border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
              }`}
            >
              {r.label}
            </button>
          ))}
          <button
            type="button"
            onClick={onClose}
            className="ml-2 rounded-md border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Close
          </button>
        </div>
      </div>
      <ErrorText error={samples.error} />
      {samples.data ? (
        value.lane === "metric" ? (
          <MetricChart samples={samples.data} label={title} precision={value.precision} />
        ) : (
          <PropertyTimeline
            samples={samples.data}
            label={title}
            schema={(definition.data?.schema ?? null) as Record<string, unknown> | null}
          />
        )
      ) : (
        <p className={`text-sm ${mutedClass}`}>Loading…</p>
      )}
    </div>
  );
}
