"use client";

import { Button, cellClass, ErrorText, Muted, mutedClass, Table } from "~/ui/controls";
import { plural } from "~/ui/format";
import { TextLink } from "~/ui/links";
import { Section } from "~/ui/section";
import { SeverityBadge } from "~/ui/severity-badge";
import { Time } from "~/ui/time";
import {
  AckText,
  alarmHref,
  FlappingText,
  OwnerLink,
  SuppressionChip,
  type Alarm,
} from "./alarm-parts";

export type LaneName = "new" | "acknowledged" | "suppressed" | "resolved";

/**
 * One lane of the queue: a page of alarms (newest first) with its total, each row its severity,
 * summary (to the detail) with the suppression chip of a held alarm (its reasons, linked), owner
 * (to its page), since, acknowledgement and flapping. A lane that
 * offers selection (`selected`) has a checkbox per row and one for the page.
 */
export function AlarmLane({
  lane,
  title,
  alarms,
  error,
  selected,
  onSelect,
  actions,
  paging,
}: {
  lane: LaneName;
  title: string;
  alarms: { items: Alarm[]; totalSize?: number } | undefined;
  error: { message: string } | null;
  selected?: ReadonlySet<string>;
  onSelect?: (ids: string[], on: boolean) => void;
  actions?: React.ReactNode;
  paging: { page: number; hasNext: boolean; next: () => void; previous: () => void };
}) {
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
            {alarms?.totalSize !== undefined ? plural(alarms.totalSize, "alarm") : ""}
          </span>
          {actions}
        </div>
      }
    >
      <div data-testid={`lane-${lane}`} className="flex flex-col gap-2">
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
                "Since",
                resolved ? "Resolved" : "Acknowledged",
                "Flapping",
              ]}
            >
              {items.map((a) => (
                <tr
                  key={a.id}
                  data-testid="alarm-row"
                  data-alarm={a.id}
                  data-owner={a.owner.path}
                  data-suppressed={a.suppression ? "true" : "false"}
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
                      <div className="mt-1">
                        <SuppressionChip suppression={a.suppression} />
                      </div>
                    ) : null}
                  </td>
                  <td className={cellClass}>
                    <OwnerLink owner={a.owner} instance={a.instance} />
                  </td>
                  <td className={cellClass}>
                    <Time value={a.openedAt} />
                  </td>
                  <td className={cellClass}>
                    {resolved ? <ResolvedText alarm={a} /> : <AckText ack={a.acknowledgement} />}
                  </td>
                  <td className={cellClass}>
                    <FlappingText alarm={a} />
                  </td>
                </tr>
              ))}
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

function ResolvedText({ alarm }: { alarm: Alarm }) {
  return (
    <span>
      <Time value={alarm.resolvedAt} />
      <Muted className="ml-1 text-xs">{alarm.resolvedBy ? "by hand" : "cleared by a sample"}</Muted>
    </span>
  );
}
