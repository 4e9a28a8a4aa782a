"use client";

import type { Samples } from "@omniglass/contracts";
import { cellClass, mutedClass, Table } from "~/ui/controls";
import { meaningOf, plural, type Meaning } from "~/ui/format";
import { formatAbsolute } from "~/ui/time";
import { WIDTH } from "./metric-chart";
import { bandsOf, changesOf, formatSampleValue } from "./telemetry-format";

/** Good and bad have their colours; neutral values share calm hues, told apart by their text. */
const MEANING_FILL: Record<Exclude<Meaning, "neutral">, string> = {
  good: "fill-emerald-500",
  bad: "fill-red-500",
};
const NEUTRAL = ["fill-sky-400", "fill-zinc-400", "fill-violet-400", "fill-slate-400"];

function fillOf(schema: Record<string, unknown> | null, value: unknown): string {
  const meaning = meaningOf(schema, value);
  if (meaning !== "neutral") return MEANING_FILL[meaning];
  const enumValues = Array.isArray(schema?.enum) ? (schema.enum as unknown[]) : [];
  const index = enumValues.findIndex((v) => JSON.stringify(v) === JSON.stringify(value));
  let h = index;
  if (h < 0)
    for (const ch of JSON.stringify(value)) h = (Math.abs(h) * 31 + ch.charCodeAt(0)) >>> 0;
  return NEUTRAL[h % NEUTRAL.length]!;
}

/**
 * A property's history: a timeline strip of its values (colour from the value's meaning in the
 * signal's definition; where samples stop, a gap), and the table of its changes.
 */
export function PropertyTimeline({
  samples,
  label,
  schema,
}: {
  samples: Samples;
  label: string;
  schema: Record<string, unknown> | null;
}) {
  const fromMs = Date.parse(samples.from);
  const toMs = Date.parse(samples.to);
  const span = toMs - fromMs || 1;
  const changes = changesOf(samples.points);
  if (changes.length === 0) {
    return <p className={`text-sm ${mutedClass}`}>No samples of {label} in this range.</p>;
  }
  const bands = bandsOf(samples.points, toMs);
  const gaps = bands.slice(1).filter((b, i) => b.startMs > bands[i]!.endMs).length;
  const x = (ms: number) => ((Math.min(Math.max(ms, fromMs), toMs) - fromMs) / span) * WIDTH;
  return (
    <figure className="flex flex-col gap-2">
      <svg
        role="img"
        aria-label={`Timeline of ${label}`}
        data-testid="history-timeline"
        data-points={samples.points.length}
        data-bands={bands.length}
        viewBox={`0 0 ${WIDTH} 36`}
        className="w-full"
      >
        <rect x={0} y={4} width={WIDTH} height={28} className="fill-zinc-100 dark:fill-zinc-900">
          <title>no data</title>
        </rect>
        {bands.map((b) => {
          const start = x(b.startMs);
          const end = x(b.endMs);
          const text = formatSampleValue(b.value, samples.unit);
          return (
            <g key={b.startMs} data-testid="timeline-band" data-value={text}>
              <rect
                x={start}
                y={4}
                width={Math.max(end - start, 1)}
                height={28}
                className={fillOf(schema, b.value)}
              >
                <title>{`${formatAbsolute(new Date(b.startMs))} – ${formatAbsolute(new Date(b.endMs))}: ${text}`}</title>
              </rect>
              {end - start > text.length * 7 + 8 ? (
                <text x={start + 4} y={23} className="fill-zinc-950 text-[12px]">
                  {text}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <Table head={["Since", "Value"]}>
        {[...changes]
          .reverse()
          .slice(0, 50)
          .map((c) => (
            <tr key={c.ts} data-testid="property-change">
              <td className={cellClass}>
                <time dateTime={c.ts}>{formatAbsolute(new Date(c.ts))}</time>
              </td>
              <td className={cellClass}>
                <span className="font-mono">{formatSampleValue(c.value, samples.unit)}</span>
              </td>
            </tr>
          ))}
      </Table>
      <figcaption className={`text-xs ${mutedClass}`}>
        {plural(changes.length, "change")} in {plural(samples.points.length, "sample")}
        {gaps ? `, ${plural(gaps, "gap")} without samples` : ""}
        {changes.length > 50 ? " (the last 50 listed)" : ""}
      </figcaption>
    </figure>
  );
}
