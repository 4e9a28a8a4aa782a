"use client";

import type { Samples } from "@omniglass/contracts";
import { mutedClass } from "~/ui/controls";
import { formatAbsolute } from "~/ui/time";
import { formatAxisTime, formatSampleValue, gapsIn } from "./telemetry-format";

/** A hand-written SVG chart: a line, with the min/max band of downsampled steps. */

export const WIDTH = 800;
const HEIGHT = 220;
const PAD = { left: 72, right: 12, top: 12, bottom: 28 };
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
    return <p className={`text-sm ${mutedClass}`}>No samples of {label} in this range.</p>;
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
  const axisUnit = samples.unit ?? "count";
  const latest = points.at(-1)!;
  const summaryId = `chart-summary-${samples.signal}-${samples.instance}`;
  // The text alternative: a summary, and the points as a table (every nth beyond 60 rows).
  const every = Math.max(1, Math.ceil(points.length / 60));
  return (
    <figure className="flex flex-col gap-1">
      <svg
        role="img"
        aria-label={`History of ${label} in ${axisUnit}`}
        aria-describedby={summaryId}
        data-testid="history-chart"
        data-points={points.length}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="w-full text-sky-700 dark:text-sky-300"
      >
        <text
          x={4}
          y={PAD.top + 4}
          className="fill-zinc-600 text-[11px] dark:fill-zinc-400"
          data-testid="y-unit"
        >
          {axisUnit}
        </text>
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
              className="fill-zinc-600 text-[11px] dark:fill-zinc-400"
            >
              {formatSampleValue(t, samples.unit, precision ?? 1)}
            </text>
          </g>
        ))}
        {[0, 0.5, 1].map((f) => (
          <text
            key={f}
            x={PAD.left + PLOT_W * f}
            y={HEIGHT - 8}
            textAnchor={f === 0 ? "start" : f === 1 ? "end" : "middle"}
            className="fill-zinc-600 text-[11px] dark:fill-zinc-400"
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
                <title>{`${formatAbsolute(new Date(p.ts))}: ${formatSampleValue(p.value, samples.unit, precision)}${p.count > 1 ? ` (mean of ${p.count}, ${fmt(lows[i]!)}–${fmt(highs[i]!)})` : ""}`}</title>
              </circle>
            ))
          : null}
      </svg>
      <figcaption id={summaryId} className={`text-xs ${mutedClass}`}>
        {points.length} points
        {stepped ? `, ${samples.step} s each (line: mean, band: min–max)` : ", raw samples"}; min{" "}
        {formatSampleValue(lo, samples.unit, precision)}, max{" "}
        {formatSampleValue(hi, samples.unit, precision)}; latest{" "}
        {formatSampleValue(latest.value, samples.unit, precision)}
      </figcaption>
      <table className="sr-only">
        <caption>{`Samples of ${label}`}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {points
            .filter((_, i) => i % every === 0 || i === points.length - 1)
            .map((p) => (
              <tr key={p.ts}>
                <td>{formatAbsolute(new Date(p.ts))}</td>
                <td>{formatSampleValue(p.value, samples.unit, precision)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
