"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { Node } from "@omniglass/contracts";
import { Facts, linkClass, plural, Section } from "./estate-ui";
import { RejectionsTable } from "./live-values";
import { StatusBadge } from "./status-badge";
import { Instant, formatAge, useNow } from "./time";
import { useTRPC } from "./trpc";
import { ErrorText, PageHeader } from "./ui";

export const nodeHref = (name: string) => `/nodes/${encodeURIComponent(name)}`;

/** How often node pages read their nodes again: heartbeats come every few seconds. */
export const NODE_REFRESH_MS = 5_000;

/** online/offline/never with "last seen 8 s ago" (from the last heartbeat, else last contact). */
export function Liveness({ node, now }: { node: Node; now: Date }) {
  const beat = node.liveness.heartbeat?.beatAt ?? node.lastSeenAt;
  return (
    <span className="flex flex-wrap items-center gap-2" data-testid="liveness">
      <StatusBadge status={node.liveness.state} />
      <span className="text-xs text-zinc-500">
        {beat ? `last seen ${formatAge(new Date(beat), now)}` : "never seen"}
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

/** One node: liveness, current work, last error, what it runs as, and the samples refused from it. */
export function NodeDetailView({ nodeRef }: { nodeRef: string }) {
  const trpc = useTRPC();
  const now = useNow(1_000);
  const node = useQuery({
    ...trpc.node.get.queryOptions({ ref: nodeRef }),
    refetchInterval: NODE_REFRESH_MS,
  });
  const rejections = useQuery({
    ...trpc.node.rejections.queryOptions({ ref: nodeRef }),
    refetchInterval: NODE_REFRESH_MS * 2,
  });
  if (node.error) return <ErrorText error={node.error} />;
  const n = node.data;
  if (!n) return <p className="text-sm text-zinc-500">Loading…</p>;
  const h = n.liveness.heartbeat;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={n.label ? `${n.label} (${n.name})` : n.name}>
        <Link className={linkClass} href="/nodes">
          All nodes
        </Link>
      </PageHeader>
      <Section title="Liveness">
        <Facts
          items={[
            ["State", <Liveness key="l" node={n} now={now} />],
            ["Enrollment", n.status],
            ["Location", n.location.path],
            ["Enrolled", n.enrolledAt ? <Instant value={n.enrolledAt} now={now} /> : null],
            ["Heartbeat every", h ? `${Math.round(h.intervalMs / 1000)} s` : null],
            ["Version", h?.version ?? null],
            ["Host", h ? <span className="font-mono">{h.hostname}</span> : null],
            ["Running since", h ? <Instant value={h.startedAt} now={now} /> : null],
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
                <Link
                  key="t"
                  className={linkClass}
                  href={`/components?node=${encodeURIComponent(n.name)}`}
                >
                  {`${plural(h.tasks, "interface")} polled (${n.interfaceCount} assigned)`}
                </Link>,
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
          <p className="text-sm text-zinc-500">
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
            <p className="mt-1 text-xs text-zinc-500">
              <Instant value={h.lastError.at} now={now} />
            </p>
          </div>
        ) : (
          <p className="text-sm text-zinc-500">None reported.</p>
        )}
      </Section>
      <Section title="Rejected samples">
        <p className="text-sm text-zinc-500">
          {`${plural(n.liveness.rejected, "sample")} refused from it in all, by component, signal and reason.`}
        </p>
        <ErrorText error={rejections.error} />
        {rejections.data && rejections.data.items.length > 0 ? (
          <RejectionsTable items={rejections.data.items} show="component" />
        ) : null}
      </Section>
    </div>
  );
}
