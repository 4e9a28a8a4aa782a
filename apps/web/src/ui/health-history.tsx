"use client";

import type { HealthHistory, HealthOwnerKind, Verdict } from "@omniglass/contracts";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, Field, inputClass, mutedClass, Table } from "./controls";
import { HealthBadge } from "./health-badge";
import { Section } from "./section";
import { Time } from "./time";

/** The windows an operator may look back over. */
const WINDOWS = [
  { key: "24h", label: "Last 24 hours", ms: 24 * 60 * 60_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 24 * 60 * 60_000 },
  { key: "30d", label: "Last 30 days", ms: 30 * 24 * 60 * 60_000 },
] as const;
type WindowKey = (typeof WINDOWS)[number]["key"];

/** Verdicts worst first, as the breakdown lists them. */
const ORDER: Verdict[] = ["outage", "degraded", "incomplete", "unknown", "healthy"];

/** Transitions listed under the availability (the availability counts them all). */
const LISTED = 50;

const percent = (fraction: number) =>
  `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 1)}%`;

/** The window's start, to the minute: the query key moves once a minute, not on each render. */
const windowStart = (ms: number) =>
  new Date(Math.floor((Date.now() - ms) / 60_000) * 60_000).toISOString();

function Availability({ availability }: { availability: HealthHistory["availability"] }) {
  const shares = ORDER.filter((v) => availability.byVerdict[v] > 0);
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="health-availability">
      <p>
        <strong data-testid="health-available">
          {availability.available === null
            ? "never known in this window"
            : `${percent(availability.available)} available`}
        </strong>{" "}
        <span className={mutedClass}>
          (healthy, degraded or incomplete over the time the verdict was known, from{" "}
          <Time value={availability.from} /> to <Time value={availability.to} />)
        </span>
      </p>
      {shares.length ? (
        <ul className="flex flex-wrap gap-3" aria-label="Time in each verdict">
          {shares.map((v) => (
            <li
              key={v}
              className="flex items-center gap-1"
              data-testid="health-share"
              data-verdict={v}
            >
              <HealthBadge health={{ verdict: v, since: "" }} showSince={false} />
              {percent(availability.byVerdict[v])}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * An owner's health over a window (24 h, 7 d or 30 d): its availability computed from the
 * recorded transitions, the time in each verdict, and the transitions themselves, newest first,
 * each with the sentence that explained it at the time.
 */
export function HealthHistoryPanel({
  kind,
  ownerRef,
}: {
  kind: HealthOwnerKind;
  ownerRef: string;
}) {
  const trpc = useTRPC();
  const [windowKey, setWindowKey] = useState<WindowKey>("7d");
  const range = WINDOWS.find((w) => w.key === windowKey)!;
  const procedures = { component: trpc.component, system: trpc.system, location: trpc.location };
  const history = useQuery({
    ...procedures[kind].healthHistory.queryOptions({
      ref: ownerRef,
      from: windowStart(range.ms),
      limit: LISTED,
    }),
    placeholderData: keepPreviousData,
  });
  const h = history.data;
  return (
    <Section
      title="Health history"
      actions={
        <Field label="Window">
          <select
            className={inputClass}
            value={windowKey}
            onChange={(e) => setWindowKey(e.target.value as WindowKey)}
          >
            {WINDOWS.map((w) => (
              <option key={w.key} value={w.key}>
                {w.label}
              </option>
            ))}
          </select>
        </Field>
      }
    >
      <ErrorText error={history.error} />
      {h ? (
        <div className="flex flex-col gap-3" data-testid="health-history">
          <Availability availability={h.availability} />
          {h.transitions.length === 0 ? (
            <p className={`text-sm ${mutedClass}`}>No transitions in this window.</p>
          ) : (
            <Table head={["At", "Verdict", "Before", "Why"]}>
              {h.transitions.map((t) => (
                <tr
                  key={`${t.at}-${t.verdict}`}
                  data-testid="health-transition"
                  data-verdict={t.verdict}
                >
                  <td className={cellClass}>
                    <Time value={t.at} />
                  </td>
                  <td className={cellClass}>
                    <HealthBadge health={{ verdict: t.verdict, since: t.at }} showSince={false} />
                  </td>
                  <td className={cellClass}>
                    {t.previous ? (
                      <HealthBadge health={{ verdict: t.previous, since: "" }} showSince={false} />
                    ) : (
                      <span className={mutedClass}>first verdict</span>
                    )}
                  </td>
                  <td className={cellClass}>{t.explanation}</td>
                </tr>
              ))}
            </Table>
          )}
          {h.transitions.length === LISTED ? (
            <p className={`text-xs ${mutedClass}`}>
              The newest {LISTED} transitions; the availability counts every one in the window.
            </p>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
