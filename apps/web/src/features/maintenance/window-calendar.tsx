"use client";

import { cellClass, Muted, mutedClass, Table } from "~/ui/controls";
import { plural } from "~/ui/format";
import { componentHref, TextLink } from "~/ui/links";
import { SeverityBadge } from "~/ui/severity-badge";
import { Time } from "~/ui/time";
import { daysOf, dstText, type Occurrence, type WindowPreview } from "./window-format";

const WEEKDAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/** One month as a grid (Monday first), the days an occurrence touches marked, DST ones flagged. */
function Month({ month, marks }: { month: string; marks: Map<string, Occurrence["dst"]> }) {
  const first = new Date(`${month}-01T00:00Z`);
  const length = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (number | null)[] = [
    ...Array.from({ length: lead }, () => null),
    ...Array.from({ length }, (_, i) => i + 1),
  ];
  const title = first.toLocaleDateString("en-GB", {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  return (
    <figure className="flex flex-col gap-1" aria-label={title}>
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <div className="grid grid-cols-7 gap-1 text-center text-xs">
        {WEEKDAYS.map((d) => (
          <span key={d} className={mutedClass}>
            {d}
          </span>
        ))}
        {cells.map((day, i) => {
          if (day === null) return <span key={`lead-${i}`} />;
          const key = `${month}-${String(day).padStart(2, "0")}`;
          const mark = marks.get(key);
          const dst = mark && mark !== "exact";
          return (
            <span
              key={key}
              data-day={key}
              data-marked={mark ? (dst ? "dst" : "yes") : undefined}
              title={mark ? (dst ? (dstText(mark) ?? "") : "in maintenance") : undefined}
              className={`rounded px-1 py-0.5 ${
                mark
                  ? dst
                    ? "bg-amber-200 font-semibold text-amber-950 dark:bg-amber-800 dark:text-amber-50"
                    : "bg-sky-200 text-sky-950 dark:bg-sky-800 dark:text-sky-50"
                  : ""
              }`}
            >
              {day}
              {dst ? "*" : ""}
            </span>
          );
        })}
      </div>
    </figure>
  );
}

/**
 * A window's preview: the next occurrences on month calendars (in the window's zone; days with
 * a DST-resolved start marked *) and as a list with UTC and local times, then what it would have
 * suppressed in the last seven days.
 */
export function WindowCalendar({ preview }: { preview: WindowPreview }) {
  const marks = new Map<string, Occurrence["dst"]>();
  for (const o of preview.next)
    for (const day of daysOf(o)) if (!marks.has(day) || o.dst !== "exact") marks.set(day, o.dst);
  const months = [...new Set([...marks.keys()].map((d) => d.slice(0, 7)))].sort().slice(0, 3);
  const week = preview.lastWeek;
  return (
    <div className="flex flex-col gap-4" data-testid="window-preview">
      {preview.next.length === 0 ? (
        <Muted>No further occurrences.</Muted>
      ) : (
        <>
          <div className="flex flex-wrap gap-6">
            {months.map((m) => (
              <Month key={m} month={m} marks={marks} />
            ))}
          </div>
          <Table head={[`Local (${preview.timeZone})`, "UTC", "DST"]}>
            {preview.next.map((o) => (
              <tr key={o.start} data-testid="occurrence" data-dst={o.dst}>
                <td className={cellClass}>
                  {o.localStart.replace("T", " ")} – {o.localEnd.replace("T", " ")}
                </td>
                <td className={`${cellClass} font-mono text-xs`}>
                  {o.start.slice(0, 16).replace("T", " ")} – {o.end.slice(0, 16).replace("T", " ")}
                </td>
                <td className={cellClass}>{dstText(o.dst) ?? <Muted>—</Muted>}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
      <p className="text-sm" data-testid="last-week">
        Last 7 days: {plural(week.occurrences.length, "occurrence")}; it would have suppressed{" "}
        {plural(week.alarms.length, "alarm")}
        {week.truncated ? " (more than shown: the first 500 alarms were looked at)" : ""}.
      </p>
      {week.alarms.length > 0 ? (
        <Table head={["Owner", "Rule", "Severity", "Opened", "Resolved"]}>
          {week.alarms.map((a) => (
            <tr key={a.id}>
              <td className={cellClass}>
                <TextLink href={componentHref(a.owner)}>{a.owner}</TextLink>
              </td>
              <td className={cellClass}>{a.rule}</td>
              <td className={cellClass}>
                <SeverityBadge severity={a.severity} />
              </td>
              <td className={cellClass}>
                <Time value={a.openedAt} />
              </td>
              <td className={cellClass}>
                <Time value={a.resolvedAt} never="still open" />
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}
