"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import Link from "next/link";
import type { CurrentValue, LiveValuesChanged, RejectionCount } from "@omniglass/contracts";
import { componentHref, linkClass, Section } from "./estate-ui";
import { MetricChart, PropertyTimeline } from "./history-chart";
import { StatusBadge } from "./status-badge";
import { formatAgeSeconds, formatSampleValue, RANGES, type RangeLabel } from "./telemetry-format";
import { Instant, useNow } from "./time";
import { useTRPC } from "./trpc";
import { cellClass, ErrorText, Table } from "./ui";

export type LiveState = "connecting" | "live" | "offline";

/** While live updates are down, the page still reads its values this often. */
const FALLBACK_POLL_MS = 15_000;
/** After the server refused the stream (503, 401), try again this much later. */
const RETRY_CLOSED_MS = 10_000;

/**
 * Subscribes to an owner's live relay (`/api/live/values`): calls `onChange` with each change and
 * `onReady` whenever the stream (re)opens, when the page should read everything again. The
 * browser's EventSource reconnects by itself after a dropped stream; one the server refused is
 * retried here.
 */
export function useLiveValues({
  kind,
  ownerId,
  onChange,
  onReady,
}: {
  kind: "component" | "system" | "location";
  ownerId: string | undefined;
  onChange: (change: LiveValuesChanged) => void;
  onReady: () => void;
}): LiveState {
  const [state, setState] = useState<LiveState>("connecting");
  const handlers = useRef({ onChange, onReady });
  handlers.current = { onChange, onReady };
  useEffect(() => {
    if (!ownerId) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      setState("connecting");
      source = new EventSource(
        `/api/live/values?kind=${kind}&owner=${encodeURIComponent(ownerId)}`,
      );
      source.addEventListener("ready", () => {
        setState("live");
        handlers.current.onReady();
      });
      source.addEventListener("values", (event) => {
        try {
          handlers.current.onChange(JSON.parse((event as MessageEvent<string>).data));
        } catch {
          // A frame that is not JSON is ignored; the next ready re-reads everything.
        }
      });
      source.onerror = () => {
        if (!source || stopped) return;
        if (source.readyState === EventSource.CLOSED) {
          setState("offline");
          retry = setTimeout(open, RETRY_CLOSED_MS);
        } else {
          setState("connecting");
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [kind, ownerId]);
  return state;
}

function LiveIndicator({ state }: { state: LiveState }) {
  const text = { live: "live", connecting: "connecting…", offline: "live updates paused" }[state];
  const dot = {
    live: "bg-emerald-500",
    connecting: "bg-amber-500",
    offline: "bg-zinc-400",
  }[state];
  return (
    <span data-testid="live-state" data-state={state} className="flex items-center gap-1 text-xs">
      <span aria-hidden className={`inline-block h-2 w-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}

const seriesKey = (v: { signal: string; instance: string }) => `${v.signal}\u0000${v.instance}`;

/**
 * A component's current values, kept live: read with `component.values`, read again when the relay
 * says this component changed, ages counting every second; a row opens the signal's history.
 */
export function LiveValuesPanel({
  componentRef,
  componentId,
}: {
  componentRef: string;
  componentId: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<{ signal: string; instance: string } | null>(null);
  const [historyTick, setHistoryTick] = useState(0);
  const valuesKey = trpc.component.values.queryKey({ ref: componentRef });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: valuesKey });
  const state = useLiveValues({
    kind: "component",
    ownerId: componentId,
    onReady: refresh,
    onChange: (change) => {
      refresh();
      if (selected && change.signals.includes(selected.signal)) setHistoryTick((t) => t + 1);
    },
  });
  const values = useQuery({
    ...trpc.component.values.queryOptions({ ref: componentRef }),
    refetchInterval: state === "live" ? false : FALLBACK_POLL_MS,
  });
  const now = useNow(1_000);
  const data = values.data;
  // Ages are the server's (relative to its clock at `at`) plus the time since this page read them.
  const elapsed = data ? Math.max(0, (now.getTime() - values.dataUpdatedAt) / 1000) : 0;
  const chosen = data?.values.find((v) => selected && seriesKey(v) === seriesKey(selected));

  return (
    <Section title="Live values" actions={<LiveIndicator state={state} />}>
      <ErrorText error={values.error} />
      {!data ? (
        <p className="text-sm text-zinc-500">Loading…</p>
      ) : data.values.length === 0 ? (
        <p className="text-sm text-zinc-500">Its template declares no signals.</p>
      ) : (
        <Table head={["Signal", "Instance", "Value", "Age", "Freshness", "Provenance"]}>
          {data.values.map((v) => (
            <ValueRow
              key={seriesKey(v)}
              value={v}
              elapsed={elapsed}
              selected={!!selected && seriesKey(v) === seriesKey(selected)}
              onSelect={() =>
                setSelected(
                  selected && seriesKey(selected) === seriesKey(v)
                    ? null
                    : { signal: v.signal, instance: v.instance },
                )
              }
            />
          ))}
        </Table>
      )}
      {chosen ? (
        <HistoryPanel
          componentRef={componentRef}
          value={chosen}
          tick={historyTick}
          onClose={() => setSelected(null)}
        />
      ) : null}
    </Section>
  );
}

function ValueRow({
  value: v,
  elapsed,
  selected,
  onSelect,
}: {
  value: CurrentValue;
  elapsed: number;
  selected: boolean;
  onSelect: () => void;
}) {
  return (
    <tr
      data-testid="live-value"
      data-signal={v.signal}
      data-instance={v.instance}
      data-state={v.state}
      className={selected ? "bg-sky-50 dark:bg-sky-950" : undefined}
    >
      <td className={cellClass}>
        <button
          type="button"
          className="text-left font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300"
          aria-expanded={selected}
          aria-label={`History of ${v.label}${v.instance ? ` (${v.instance})` : ""}`}
          onClick={onSelect}
        >
          {v.label}
        </button>
        <span className="ml-2 font-mono text-xs text-zinc-500">{v.signal}</span>
      </td>
      <td className={cellClass}>
        <span className="font-mono">{v.instance}</span>
      </td>
      <td className={cellClass} data-testid="value">
        <span className="font-mono">{formatSampleValue(v.value, v.unit, v.precision)}</span>
      </td>
      <td className={cellClass} data-testid="age">
        {v.ageSeconds === null ? (
          <span className="text-zinc-500">never</span>
        ) : (
          <time dateTime={v.ts ?? undefined} title={v.ts ? new Date(v.ts).toLocaleString() : ""}>
            {formatAgeSeconds(v.ageSeconds + elapsed)}
          </time>
        )}
      </td>
      <td className={cellClass}>
        <span
          title={
            v.expectedIntervalSeconds
              ? `Expected every ${v.expectedIntervalSeconds} s; stale past twice that.`
              : "No expected interval: it never goes stale."
          }
        >
          <StatusBadge status={v.state} />
        </span>
      </td>
      <td className={cellClass}>{v.provenance ?? <span className="text-zinc-500">—</span>}</td>
    </tr>
  );
}

/** A signal's history over a chosen range, read again when a live change names the signal. */
function HistoryPanel({
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
          <PropertyTimeline samples={samples.data} label={title} />
        )
      ) : (
        <p className="text-sm text-zinc-500">Loading…</p>
      )}
    </div>
  );
}

/** Samples refused for a component or a node, counted per source, signal and reason. */
export function RejectionsTable({
  items,
  show,
}: {
  items: RejectionCount[];
  show: "source" | "component";
}) {
  const now = useNow(10_000);
  return (
    <Table
      head={[
        show === "source" ? "From" : "Component",
        "Signal",
        "Reason",
        "Count",
        "Last",
        "Last detail",
      ]}
    >
      {items.map((r) => (
        <tr
          key={`${r.source.id}/${r.component?.id ?? ""}/${r.signal}/${r.reason}`}
          data-testid="rejection"
          data-signal={r.signal}
          data-reason={r.reason}
        >
          <td className={cellClass}>
            {show === "source" ? (
              r.source.name
            ) : r.component ? (
              <Link className={linkClass} href={componentHref(r.component.path)}>
                {r.component.path}
              </Link>
            ) : (
              <span className="text-zinc-500">no component</span>
            )}
          </td>
          <td className={cellClass}>
            <span className="font-mono">{r.signal}</span>
          </td>
          <td className={cellClass}>{r.reason}</td>
          <td className={cellClass} data-testid="count">
            {r.count}
          </td>
          <td className={cellClass}>
            <Instant value={r.lastAt} now={now} />
          </td>
          <td className={cellClass}>
            <span className="break-all text-zinc-600 dark:text-zinc-400">{r.lastDetail}</span>
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** A component's rejected samples: shown only when there are any. */
export function ComponentRejections({ componentRef }: { componentRef: string }) {
  const trpc = useTRPC();
  const rejections = useQuery(trpc.component.rejections.queryOptions({ ref: componentRef }));
  const items = rejections.data?.items ?? [];
  if (rejections.error) return <ErrorText error={rejections.error} />;
  if (items.length === 0) return null;
  return (
    <Section title="Rejected samples">
      <p className="text-sm text-zinc-500">
        Samples for this component that were not stored, and why. They are counted, never guessed.
      </p>
      <RejectionsTable items={items} show="source" />
    </Section>
  );
}
