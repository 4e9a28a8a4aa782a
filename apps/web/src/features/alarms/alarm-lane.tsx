"use client";

import type { LiveState } from "~/client/use-live-alarms";
import { Button, cellClass, ErrorText, Muted, mutedClass, Table } from "~/ui/controls";
import { plural } from "~/ui/format";
import { TextLink } from "~/ui/links";
import { Section } from "~/ui/section";
import { SeverityBadge } from "~/ui/severity-badge";
import { Time, useNow } from "~/ui/time";
import {
  AckText,
  alarmHref,
  FlappingText,
  OwnerLink,
  SuppressionChip,
  type Alarm,
} from "./alarm-parts";
import { ambiguitiesOf, LANES, type LaneName } from "./work-board";

export type { LaneName } from "./work-board";

/** What the lane's rows come from, as its header says it. */
const SOURCE = "alarm list";

/**
 * One lane of the work board: its title says what membership means (new: nobody owns it;
 * acknowledged: owned; suppressed: with why; resolved: within the stated window), its header the
 * count with its source and as-of time (and whether the page hears changes live). Each card: its
 * severity, summary (to the detail) with the suppression chip of a held alarm (its reasons
 * linked, and a link to the why panel), what the facts leave ambiguous (said, not guessed), owner
 * (to its page), source (the rule and the sample that fired it), age, who owns it and since when
 * (or how it was resolved) and flapping. A lane that offers selection (`selected`) has a checkbox
 * per row and one for the page.
 */
export function AlarmLane({
  lane,
  alarms,
  error,
  asOf,
  live,
  window,
  selected,
  onSelect,
  actions,
  paging,
}: {
  lane: LaneName;
  alarms: { items: Alarm[]; totalSize?: number } | undefined;
  error: { message: string } | null;
  /** When the lane's answer was read (ms since the epoch; 0: never). */
  asOf: number;
  live: LiveState;
  /** The resolved lane's window, in words and from when ("24 hours", since …). */
  window?: { words: string; since: string };
  selected?: ReadonlySet<string>;
  onSelect?: (ids: string[], on: boolean) => void;
  actions?: React.ReactNode;
  paging: { page: number; hasNext: boolean; next: () => void; previous: () => void };
}) {
  const now = useNow();
  const title = LANES[lane].title;
  const items = alarms?.items ?? [];
  const selectable = selected && onSelect;
  const allOn = selectable && items.length > 0 && items.every((a) => selected.has(a.id));
  const resolved = lane === "resolved";
  return (
    <Section
      title={title}
      actions={
        <div className="flex items-baseline gap-3">
          <span className={`text-sm ${mutedClass}`} data-testid={`lane-${lane}-count`}>
            {alarms?.totalSize !== undefined
              ? plural(alarms.totalSize, "alarm")
              : error
                ? "count unknown"
                : "reading…"}
          </span>
          <span className={`text-xs ${mutedClass}`} data-testid={`lane-${lane}-as-of`}>
            {asOf > 0 ? (
              <>
                from the {SOURCE}, as of <Time value={new Date(asOf).toISOString()} />
                {live === "live" ? " (live)" : " (live updates paused: read every 10 s)"}
                {error ? " — the last read failed" : ""}
              </>
            ) : (
              `from the ${SOURCE}, not read yet`
            )}
          </span>
          {actions}
        </div>
      }
    >
      <div data-testid={`lane-${lane}`} className="flex flex-col gap-2">
        <p className={`text-xs ${mutedClass}`} data-testid={`lane-${lane}-means`}>
          {LANES[lane].means}
          {window ? (
            <>
              {" "}
              Window: the last {window.words} (since <Time value={window.since} />
              ).
            </>
          ) : null}
        </p>
        <ErrorText error={error} />
        {alarms && items.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>None.</p>
        ) : (
          <>
            {selectable ? (
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={!!allOn}
                  onChange={(e) =>
                    onSelect(
                      items.map((a) => a.id),
                      e.target.checked,
                    )
                  }
                />
                Select all {items.length} on this page
              </label>
            ) : null}
            <Table
              head={[
                ...(selectable ? [{ label: "Select", hidden: true } as const] : []),
                "Severity",
                "Summary",
                "Owner",
                "Source",
                "Age",
                resolved ? "Resolved" : "Owned by",
                "Flapping",
              ]}
            >
              {items.map((a) => {
                const unclear = now ? ambiguitiesOf(a, lane, now) : [];
                return (
                  <tr
                    key={a.id}
                    data-testid="alarm-row"
                    data-alarm={a.id}
                    data-owner={a.owner.path}
                    data-suppressed={a.suppression ? "true" : "false"}
                    data-ambiguous={unclear.map((u) => u.kind).join(" ") || undefined}
                  >
                    {selectable ? (
                      <td className={cellClass}>
                        <input
                          type="checkbox"
                          aria-label={`Select ${a.summary} on ${a.owner.path}`}
                          checked={selected.has(a.id)}
                          onChange={(e) => onSelect([a.id], e.target.checked)}
                        />
                      </td>
                    ) : null}
                    <td className={cellClass}>
                      <SeverityBadge severity={a.severity} />
                    </td>
                    <td className={cellClass}>
                      <TextLink href={alarmHref(a.id)}>{a.summary}</TextLink>
                      <Muted className="ml-2 text-xs">{a.rule.name}</Muted>
                      {a.suppression ? (
                        <div className="mt-1 flex flex-wrap items-center gap-2">
                          <SuppressionChip suppression={a.suppression} />
                          <TextLink href={`${alarmHref(a.id)}#why`}>why</TextLink>
                        </div>
                      ) : null}
                      {unclear.map((u) => (
                        <div
                          key={u.kind}
                          data-testid="ambiguous"
                          data-kind={u.kind}
                          className="mt-1 text-xs text-amber-800 dark:text-amber-300"
                        >
                          <span className="font-medium uppercase tracking-wide">unclear</span>{" "}
                          {u.text}
                        </div>
                      ))}
                    </td>
                    <td className={cellClass}>
                      <OwnerLink owner={a.owner} instance={a.instance} />
                    </td>
                    <td className={cellClass}>
                      <SourceText alarm={a} />
                    </td>
                    <td className={cellClass}>
                      <span data-testid="age">
                        opened <Time value={a.openedAt} />
                      </span>
                    </td>
                    <td className={cellClass}>
                      {resolved ? <ResolvedText alarm={a} /> : <AckText ack={a.acknowledgement} />}
                    </td>
                    <td className={cellClass}>
                      <FlappingText alarm={a} />
                    </td>
                  </tr>
                );
              })}
            </Table>
          </>
        )}
        {paging.page > 1 || paging.hasNext ? (
          <nav aria-label={`${title} pages`} className="flex items-center gap-2 text-sm">
            <Button onClick={paging.previous} disabled={paging.page === 1}>
              Previous
            </Button>
            <span className={mutedClass}>Page {paging.page}</span>
            <Button onClick={paging.next} disabled={!paging.hasNext}>
              Next
            </Button>
          </nav>
        ) : null}
      </div>
    </Section>
  );
}

const ORIGIN: Record<Alarm["rule"]["origin"], string> = {
  custom: "custom rule",
  template: "template rule",
  builtin: "built-in rule",
};

/** Where the alarm comes from: its rule (and kind of rule) and the sample that fired it. */
function SourceText({ alarm }: { alarm: Alarm }) {
  return (
    <span data-testid="source" className="text-xs">
      {alarm.rule.name} <Muted>({ORIGIN[alarm.rule.origin]})</Muted>
      <br />
      <Muted>
        {alarm.firedSampleAt ? (
          <>
            sample of <Time value={alarm.firedSampleAt} />
          </>
        ) : (
          "no sample: opened by the clock"
        )}
      </Muted>
    </span>
  );
}

function ResolvedText({ alarm }: { alarm: Alarm }) {
  return (
    <span>
      <Time value={alarm.resolvedAt} />
      <Muted className="ml-1 text-xs">{alarm.resolvedBy ? "by hand" : "cleared by a sample"}</Muted>
    </span>
  );
}
