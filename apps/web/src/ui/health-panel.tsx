"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { HealthCause, HealthOwnerKind } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { useLiveHealth } from "~/client/use-live-health";
import { ErrorText, Muted, mutedClass } from "./controls";
import { plural } from "./format";
import { HealthBadge } from "./health-badge";
import { HealthHistoryPanel } from "./health-history";
import { componentHref, locationHref, nodeHref, systemHref, TextLink } from "./links";
import { Section } from "./section";
import { SeverityBadge } from "./severity-badge";

const alarmHref = (id: string) => `/alarms/${encodeURIComponent(id)}`;

const CHILD_HREF = { location: locationHref, system: systemHref, component: componentHref };

/** A component named by a cause, linked to its page. */
const Component = ({ path }: { path: string }) => (
  <TextLink href={componentHref(path)}>{path}</TextLink>
);

/** One cause in words, each thing it names a link (a child without `childKind`, recorded before it, is text). */
function CauseText({ cause }: { cause: HealthCause }): ReactNode {
  switch (cause.kind) {
    case "alarm":
      return (
        <>
          <SeverityBadge severity={cause.severity} />{" "}
          <TextLink href={alarmHref(cause.alarmId)}>{cause.summary || cause.rule}</TextLink> on{" "}
          <span className="font-mono text-xs">{cause.owner}</span>
        </>
      );
    case "not-monitored":
      return (
        <>
          <Component path={cause.owner} /> is not monitored: no node polls its interfaces
        </>
      );
    case "collector-down":
      return (
        <>
          <Component path={cause.owner} /> reads unknown: its collector{" "}
          <TextLink href={nodeHref(cause.node)}>{cause.node}</TextLink> stopped heartbeating
        </>
      );
    case "no-data":
      return (
        <>
          <Component path={cause.owner} /> has no current data
        </>
      );
    case "role":
      return (
        <>
          role <strong>{cause.role}</strong>:{" "}
          {`${cause.working} of ${plural(cause.installed, "installed member")} working, quorum ${cause.quorum} (impact ${cause.impact})`}
          {cause.members.length ? (
            <ul className="ml-4 mt-1 flex flex-col gap-1">
              {cause.members.map((m) => (
                <li key={m.path} className="flex flex-wrap items-center gap-2">
                  <Component path={m.path} />
                  <HealthBadge health={{ verdict: m.verdict, since: "" }} showSince={false} />
                </li>
              ))}
            </ul>
          ) : null}
        </>
      );
    case "member":
      return (
        <>
          member <Component path={cause.path} />{" "}
          <HealthBadge health={{ verdict: cause.verdict, since: "" }} showSince={false} />
        </>
      );
    case "child":
      return (
        <>
          {cause.childKind ? (
            <TextLink href={CHILD_HREF[cause.childKind](cause.path)}>{cause.path}</TextLink>
          ) : (
            <span className="font-mono text-xs">{cause.path}</span>
          )}{" "}
          <HealthBadge health={{ verdict: cause.verdict, since: "" }} showSince={false} />
        </>
      );
  }
}

function Causes({ label, causes }: { label: string; causes: HealthCause[] }) {
  return (
    <div className="flex flex-col gap-1">
      <h3 className={`text-sm ${mutedClass}`}>{label}</h3>
      <ul className="flex flex-col gap-1 text-sm" aria-label={label}>
        {causes.map((c, i) => (
          <li key={i} data-testid="health-cause" data-kind={c.kind}>
            <CauseText cause={c} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * An owner's health on its page: the verdict and since when, the sentence that explains it, the
 * causes (worst first) and the red leaves under them, each naming what to look at as a link.
 * Read again when the live stream says this owner's verdict changed.
 */
export function HealthPanel({
  kind,
  ownerRef,
  ownerId,
}: {
  kind: HealthOwnerKind;
  ownerRef: string;
  ownerId: string;
}) {
  const trpc = useTRPC();
  const procedures = { component: trpc.component, system: trpc.system, location: trpc.location };
  const options = procedures[kind].health.queryOptions({ ref: ownerRef });
  const health = useQuery(options);
  useLiveHealth({
    owners: [ownerId],
    onChange: () => void health.refetch(),
    onReady: () => void health.refetch(),
  });
  const h = health.data;
  const notMonitored = !!h?.causes.some((c) => c.kind === "not-monitored");
  // The leaves not already listed as causes (a component's own alarm is both).
  const listed = new Set(h?.causes.map((c) => JSON.stringify(c)));
  const leaves = h ? h.leaves.filter((l) => !listed.has(JSON.stringify(l))) : [];
  return (
    <Section title="Health">
      <ErrorText error={health.error} />
      {h ? (
        <div className="flex flex-col gap-2" data-testid="health-panel">
          <div className="flex flex-wrap items-center gap-3">
            <HealthBadge
              health={{ verdict: h.verdict, since: h.since }}
              notMonitored={notMonitored}
            />
          </div>
          <p className="text-sm" data-testid="health-explanation">
            {h.explanation}
          </p>
          {h.causes.length ? <Causes label="Why" causes={h.causes} /> : null}
          {leaves.length ? <Causes label="Red leaves" causes={leaves} /> : null}
        </div>
      ) : health.isPending ? (
        <Muted className="text-sm">Reading its verdict…</Muted>
      ) : null}
      <HealthHistoryPanel kind={kind} ownerRef={ownerRef} />
    </Section>
  );
}
