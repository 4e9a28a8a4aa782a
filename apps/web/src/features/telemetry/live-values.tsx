"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { CurrentValue } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, mutedClass, Table } from "~/ui/controls";
import { Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { formatAbsolute, useNow } from "~/ui/time";
import { HistoryPanel } from "./history-panel";
import { ComponentRejections } from "./rejections";
import { formatAgeSeconds, formatSampleValue } from "./telemetry-format";
import { useLiveValues, type LiveState } from "./use-live-values";

/** While live updates are down, the page still reads its values this often. */
const FALLBACK_POLL_MS = 15_000;

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
  const now = useNow();
  const data = values.data;
  // Ages are the server's (relative to its clock at `at`) plus the time since this page read them.
  const elapsed = data && now ? Math.max(0, (now.getTime() - values.dataUpdatedAt) / 1000) : 0;
  const chosen = data?.values.find((v) => selected && seriesKey(v) === seriesKey(selected));

  return (
    <Section title="Live values" actions={<LiveIndicator state={state} />}>
      <ErrorText error={values.error} />
      {!data ? (
        <p className={`text-sm ${mutedClass}`}>Loading…</p>
      ) : data.values.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>Its template declares no signals.</p>
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
        <span className={`ml-2 font-mono text-xs ${mutedClass}`}>{v.signal}</span>
      </td>
      <td className={cellClass}>
        <span className="font-mono">{v.instance}</span>
      </td>
      <td className={cellClass} data-testid="value">
        <span className="font-mono">{formatSampleValue(v.value, v.unit, v.precision)}</span>
      </td>
      <td className={cellClass} data-testid="age">
        {v.ageSeconds === null ? (
          <span className={mutedClass}>never</span>
        ) : (
          <time dateTime={v.ts ?? undefined} title={v.ts ? formatAbsolute(new Date(v.ts)) : ""}>
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
      <td className={cellClass}>{v.provenance ?? <span className={mutedClass}>—</span>}</td>
    </tr>
  );
}

/** A component's telemetry on its page: live values with history, and refused samples. */
export function ComponentTelemetry({ componentRef }: { componentRef: string }) {
  const trpc = useTRPC();
  const component = useQuery(trpc.component.get.queryOptions({ ref: componentRef }));
  const id = component.data?.id;
  if (!id) return null;
  return (
    <>
      <LiveValuesPanel componentRef={id} componentId={id} />
      <ComponentRejections componentRef={id} />
    </>
  );
}

/** A location's own current values (pushed for the location itself), read when the page opens. */
export function LocationValues({ locationRef }: { locationRef: string }) {
  const trpc = useTRPC();
  const values = useQuery({
    ...trpc.location.values.queryOptions({ ref: locationRef }),
    refetchInterval: FALLBACK_POLL_MS,
  });
  return (
    <Section title="Values">
      <ErrorText error={values.error} />
      {values.data?.values.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>No values are reported for the location itself.</p>
      ) : (
        <Table head={["Signal", "Instance", "Value", "Age", "Freshness"]}>
          {values.data?.values.map((v) => (
            <tr key={seriesKey(v)} data-testid="location-value" data-signal={v.signal}>
              <td className={cellClass}>{v.label}</td>
              <td className={cellClass}>
                <span className="font-mono">{v.instance}</span>
              </td>
              <td className={cellClass}>
                <span className="font-mono">{formatSampleValue(v.value, v.unit, v.precision)}</span>
              </td>
              <td className={cellClass}>
                {v.ageSeconds === null ? "never" : formatAgeSeconds(v.ageSeconds)}
              </td>
              <td className={cellClass}>
                <StatusBadge status={v.state} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
