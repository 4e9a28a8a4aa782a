"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import type { Node } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { ErrorText, Loading, mutedClass, PageHeader } from "~/ui/controls";
import { formatDuration, plural } from "~/ui/format";
import { LocationLink, TextLink } from "~/ui/links";
import { Facts, Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";
import { Time } from "~/ui/time";

/** How often node pages read their nodes again: heartbeats come every few seconds. */
export const NODE_REFRESH_MS = 5_000;

/** online/offline/never with "last seen 8 s ago" (from the last heartbeat, else last contact). */
export function Liveness({ node }: { node: Node }) {
  const beat = node.liveness.heartbeat?.beatAt ?? node.lastSeenAt;
  return (
    <span className="flex flex-wrap items-center gap-2" data-testid="liveness">
      <StatusBadge status={node.liveness.state} />
      <span className={`text-xs ${mutedClass}`}>
        {beat ? (
          <>
            last seen <Time value={beat} />
          </>
        ) : (
          "never seen"
        )}
      </span>
    </span>
  );
}

/** "3 tasks, 12 functions, 1 running, 0 buffered", or nothing before the first heartbeat. */
export function currentWork(node: Node): string | null {
  const h = node.liveness.heartbeat;
  if (!h) return null;
  return `${plural(h.tasks, "task")}, ${plural(h.functions, "function")}, ${h.running} running, ${h.buffered} buffered`;
}

/**
 * One node: liveness, current work, last error, what it runs as, and (composed by the route) the
 * samples refused from it.
 */
export function NodeDetailView({
  nodeRef,
  rejections,
}: {
  nodeRef: string;
  rejections?: ReactNode;
}) {
  const trpc = useTRPC();
  const node = useQuery({
    ...trpc.node.get.queryOptions({ ref: nodeRef }),
    refetchInterval: NODE_REFRESH_MS,
  });
  if (node.error) return <ErrorText error={node.error} />;
  const n = node.data;
  if (!n) return <Loading />;
  const h = n.liveness.heartbeat;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={n.label ? `${n.label} (${n.name})` : n.name}>
        <TextLink href="/nodes">All nodes</TextLink>
      </PageHeader>
      <Section title="Liveness">
        <Facts
          items={[
            ["State", <Liveness key="l" node={n} />],
            ["Enrollment", n.status],
            ["Location", <LocationLink key="loc" path={n.location.path} />],
            ["Enrolled", n.enrolledAt ? <Time value={n.enrolledAt} /> : null],
            ["Heartbeat every", h ? formatDuration(h.intervalMs / 1000) : null],
            ["Version", h?.version ?? null],
            ["Host", h ? <span className="font-mono">{h.hostname}</span> : null],
            ["Running since", h ? <Time value={h.startedAt} /> : null],
            ["Disabled", n.disabled ? "yes" : null],
          ]}
        />
      </Section>
      <Section title="Current work">
        {h ? (
          <Facts
            items={[
              [
                "Tasks",
                <TextLink key="t" href={`/components?node=${encodeURIComponent(n.name)}`}>
                  {`${plural(h.tasks, "interface")} polled (${n.interfaceCount} assigned)`}
                </TextLink>,
              ],
              ["Functions", h.functions],
              ["Running now", h.running],
              [
                "Buffered on disk",
                <span key="b" data-testid="buffered">
                  {h.buffered}
                </span>,
              ],
              ["Published since start", h.published],
              [
                "Worklist",
                h.worklistEtag ? (
                  <span className="font-mono">{h.worklistEtag}</span>
                ) : (
                  "not read yet"
                ),
              ],
            ]}
          />
        ) : (
          <p className={`text-sm ${mutedClass}`}>
            It has not sent a heartbeat yet: enroll it and start it (see the node guide).
          </p>
        )}
      </Section>
      <Section title="Last error">
        {h?.lastError ? (
          <div
            role="status"
            data-testid="last-error"
            className="rounded-md border border-red-300 bg-red-50 p-3 text-sm dark:border-red-800 dark:bg-red-950"
          >
            <p className="break-all font-mono">{h.lastError.message}</p>
            <p className={`mt-1 text-xs ${mutedClass}`}>
              <Time value={h.lastError.at} />
            </p>
          </div>
        ) : (
          <p className={`text-sm ${mutedClass}`}>None reported.</p>
        )}
      </Section>
      <Section title="Rejected samples">
        <p className={`text-sm ${mutedClass}`}>
          {`${plural(n.liveness.rejected, "sample")} refused from it in all, by component, signal and reason.`}
        </p>
        {rejections}
      </Section>
    </div>
  );
}
