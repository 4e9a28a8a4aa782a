"use client";

import type { Samples } from "@omniglass/contracts";
import { changesOf, formatAxisTime, formatSampleValue, gapsIn } from "./telemetry-format";
import { cellClass, Table } from "./ui";

/** Hand-written SVG charts: a line (with the min/max band of downsampled steps) and a timeline. */

const WIDTH = 800;
const HEIGHT = 220;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
/** Dots are drawn for each point up to this many; beyond, the line alone reads better. */
const MAX_DOTS = 300;

type Point = Samples["points"][number];

function scales(fromMs: number, toMs: number, lo: number, hi: number) {
  const span = toMs - fromMs || 1;
  const pad = hi === lo ? Math.max(Math.abs(hi) * 0.1, 1) : (hi - lo) * 0.08;
  const yLo = lo - pad;
  const yHi = hi + pad;
  return {
    x: (ms: number) => PAD.left + ((ms - fromMs) / span) * PLOT_W,
    y: (v: number) => PAD.top + (1 - (v - yLo) / (yHi - yLo)) * PLOT_H,
    yLo,
    yHi,
  };
}

const fmt = (n: number) => Number(n.toPrecision(4)).toString();

/** A metric's history: the line of values (step means), a band between step min and max. */
export function MetricChart({
  samples,
  label,
  precision,
}: {
  samples: Samples;
  label: string;
  precision: number | null;
}) {
  const fromMs = Date.parse(samples.from);
  const toMs = Date.parse(samples.to);
  const range = toMs - fromMs;
  const points = samples.points.filter(
    (p): p is Point & { value: number } => typeof p.value === "number",
  );
  if (points.length === 0) {
    return <p className="text-sm text-zinc-500">No samples of {label} in this range.</p>;
  }
  const times = points.map((p) => Date.parse(p.ts));
  const lows = points.map((p) => p.min ?? p.value);
  const highs = points.map((p) => p.max ?? p.value);
  const lo = Math.min(...lows);
  const hi = Math.max(...highs);
  const { x, y, yLo, yHi } = scales(fromMs, toMs, lo, hi);
  const breaks = gapsIn(times);

  // Runs of points without a gap: each is one path (and one band).
  const runs: number[][] = [];
  times.forEach((_, i) => {
    if (i === 0 || breaks.has(i)) runs.push([]);
    runs[runs.length - 1]!.push(i);
  });
  const stepped = samples.step !== null;
  const line = runs
    .map((run) =>
      run
        .map(
          (i, k) =>
            `${k === 0 ? "M" : "L"}${x(times[i]!).toFixed(1)},${y(points[i]!.value).toFixed(1)}`,
        )
        .join(""),
    )
    .join("");
  const bands = stepped
    ? runs.map((run) =>
        [
          ...run.map((i) => `${x(times[i]!).toFixed(1)},${y(highs[i]!).toFixed(1)}`),
          ...[...run].reverse().map((i) => `${x(times[i]!).toFixed(1)},${y(lows[i]!).toFixed(1)}`),
        ].join(" "),
      )
    : [];
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => yLo + (yHi - yLo) * f);
  const unit = samples.unit ? ` ${samples.unit}` : "";
  return (
    <figure className="flex flex-col gap-1">
      <svg
        role="img"
        aria-label={`History of ${label}`}
        data-testid="history-chart"
        data-points={points.length}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="w-full text-sky-700 dark:text-sky-300"
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(t)}
              y2={y(t)}
              className="stroke-zinc-200 dark:stroke-zinc-800"
            />
            <text
              x={PAD.left - 6}
              y={y(t) + 4}
              textAnchor="end"
              className="fill-zinc-500 text-[11px]"
            >
              {fmt(t)}
            </text>
          </g>
        ))}
        {[0, 0.5, 1].map((f) => (
          <text
            key={f}
            x={PAD.left + PLOT_W * f}
            y={HEIGHT - 8}
            textAnchor={f === 0 ? "start" : f === 1 ? "end" : "middle"}
            className="fill-zinc-500 text-[11px]"
          >
            {formatAxisTime(fromMs + range * f, range)}
          </text>
        ))}
        {bands.map((polygon, i) => (
          <polygon key={i} points={polygon} className="fill-current opacity-15" />
        ))}
        <path d={line} fill="none" stroke="currentColor" strokeWidth={1.5} />
        {points.length <= MAX_DOTS
          ? points.map((p, i) => (
              <circle
                key={p.ts}
                data-testid="chart-point"
                cx={x(times[i]!)}
                cy={y(p.value)}
                r={2.5}
                className="fill-current"
              >
                <title>{`${new Date(p.ts).toLocaleString()}: ${formatSampleValue(p.value, samples.unit, precision)}${p.count > 1 ? ` (mean of ${p.count}, ${fmt(lows[i]!)}–${fmt(highs[i]!)})` : ""}`}</title>
              </circle>
            ))
          : null}
      </svg>
      <figcaption className="text-xs text-zinc-500">
        {points.length} points
        {stepped ? `, ${samples.step} s each (line: mean, band: min–max)` : ", raw samples"}; min{" "}
        {fmt(lo)}
        {unit}, max {fmt(hi)}
        {unit}
      </figcaption>
    </figure>
  );
}

const PALETTE = [
  "fill-sky-500",
  "fill-amber-500",
  "fill-emerald-500",
  "fill-violet-500",
  "fill-rose-500",
  "fill-teal-500",
];

function colourOf(key: string): string {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** A property's history: a timeline strip of its values, and the table of its changes. */
export function PropertyTimeline({ samples, label }: { samples: Samples; label: string }) {
  const fromMs = Date.parse(samples.from);
  const toMs = Date.parse(samples.to);
  const span = toMs - fromMs || 1;
  const changes = changesOf(samples.points);
  if (changes.length === 0) {
    return <p className="text-sm text-zinc-500">No samples of {label} in this range.</p>;
  }
  const x = (ms: number) => ((Math.max(ms, fromMs) - fromMs) / span) * WIDTH;
  return (
    <figure className="flex flex-col gap-2">
      <svg
        role="img"
        aria-label={`Timeline of ${label}`}
        data-testid="history-timeline"
        data-points={samples.points.length}
        viewBox={`0 0 ${WIDTH} 36`}
        className="w-full"
      >
        {changes.map((c, i) => {
          const start = x(Date.parse(c.ts));
          const end = i + 1 < changes.length ? x(Date.parse(changes[i + 1]!.ts)) : WIDTH;
          const text = formatSampleValue(c.value, samples.unit);
          return (
            <g key={c.ts}>
              <rect
                x={start}
                y={4}
                width={Math.max(end - start, 1)}
                height={28}
                className={`${colourOf(JSON.stringify(c.value))} opacity-70`}
              >
                <title>{`${new Date(c.ts).toLocaleString()}: ${text}`}</title>
              </rect>
              {end - start > text.length * 7 + 8 ? (
                <text x={start + 4} y={23} className="fill-zinc-900 text-[12px]">
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
                <time dateTime={c.ts}>{new Date(c.ts).toLocaleString()}</time>
              </td>
              <td className={cellClass}>
                <span className="font-mono">{formatSampleValue(c.value, samples.unit)}</span>
              </td>
            </tr>
          ))}
      </Table>
      <figcaption className="text-xs text-zinc-500">
        {changes.length} changes in {samples.points.length} samples
        {changes.length > 50 ? " (the last 50 listed)" : ""}
      </figcaption>
    </figure>
  );
}
