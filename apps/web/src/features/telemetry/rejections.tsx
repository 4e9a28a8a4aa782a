"use client";

import { useQuery } from "@tanstack/react-query";
import type { RejectionCount } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { cellClass, ErrorText, mutedClass, Table } from "~/ui/controls";
import { componentHref, TextLink } from "~/ui/links";
import { Section } from "~/ui/section";
import { Time } from "~/ui/time";

/** Samples refused for a component or a node, counted per source, signal and reason. */
export function RejectionsTable({
  items,
  show,
}: {
  items: RejectionCount[];
  show: "source" | "component";
}) {
  return (
    <Table
      head={[
        show === "source" ? "From" : "Component",
        "Signal",
        "Reason",
        "Count",
        "Last",
        "Last detail",
      ]}
    >
      {items.map((r) => (
        <tr
          key={`${r.source.id}/${r.component?.id ?? ""}/${r.signal}/${r.reason}`}
          data-testid="rejection"
          data-signal={r.signal}
          data-reason={r.reason}
        >
          <td className={cellClass}>
            {show === "source" ? (
              r.source.name
            ) : r.component ? (
              <TextLink href={componentHref(r.component.path)}>{r.component.path}</TextLink>
            ) : (
              <span className={mutedClass}>no component</span>
            )}
          </td>
          <td className={cellClass}>
            <span className="font-mono">{r.signal}</span>
          </td>
          <td className={cellClass}>{r.reason}</td>
          <td className={cellClass} data-testid="count">
            {r.count}
          </td>
          <td className={cellClass}>
            <Time value={r.lastAt} />
          </td>
          <td className={cellClass}>
            <span className={`break-all ${mutedClass}`}>{r.lastDetail}</span>
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** A component's rejected samples: shown only when there are any. */
export function ComponentRejections({ componentRef }: { componentRef: string }) {
  const trpc = useTRPC();
  const rejections = useQuery(trpc.component.rejections.queryOptions({ ref: componentRef }));
  const items = rejections.data?.items ?? [];
  if (rejections.error) return <ErrorText error={rejections.error} />;
  if (items.length === 0) return null;
  return (
    <Section title="Rejected samples">
      <p className={`text-sm ${mutedClass}`}>
        Samples for this component that were not stored, and why. They are counted, never guessed.
      </p>
      <RejectionsTable items={items} show="source" />
    </Section>
  );
}

/** Samples refused from a node, by component, signal and reason (the node page's section). */
export function NodeRejections({ nodeRef }: { nodeRef: string }) {
  const trpc = useTRPC();
  const rejections = useQuery({
    ...trpc.node.rejections.queryOptions({ ref: nodeRef }),
    refetchInterval: 10_000,
  });
  if (rejections.error) return <ErrorText error={rejections.error} />;
  const items = rejections.data?.items ?? [];
  return items.length > 0 ? <RejectionsTable items={items} show="component" /> : null;
}
