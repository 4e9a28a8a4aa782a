"use client";

import { useQueries } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { useLiveHealth } from "~/client/use-live-health";
import { cellClass, ErrorText, Muted, mutedClass, Table } from "~/ui/controls";
import { componentHref, TextLink } from "~/ui/links";
import { formatSampleValue } from "~/ui/sample-value";
import { Section } from "~/ui/section";
import { StatusBadge } from "~/ui/status-badge";

/** Values shown per member: what it reported of its signals without an instance (up to six). */
const KEY_VALUES = 6;
/** Members' values are read again this often (and at once when a member's verdict changes). */
const REFRESH_MS = 10_000;

/**
 * The system's members at a glance: each member's key values (what it reported of its signals
 * without an instance, up to six, and how many it never reported; all on the component's page)
 * with their freshness, read in one batched request,
 * again every 10 s and at once when the live health stream says a member's verdict changed.
 */
export function MemberValues({
  members,
}: {
  members: { component: { id: string; path: string; label: string | null } }[];
}) {
  const trpc = useTRPC();
  const ids = members.map((m) => m.component.id);
  const reads = useQueries({
    queries: ids.map((id) => ({
      ...trpc.component.values.queryOptions({ ref: id }),
      refetchInterval: REFRESH_MS,
    })),
  });
  const again = (id?: string) =>
    reads.forEach((r, i) => {
      if (!id || ids[i] === id) void r.refetch();
    });
  useLiveHealth({
    owners: ids,
    enabled: ids.length > 0,
    onChange: (change) => again(change.ownerId),
    onReady: () => again(),
  });
  if (members.length === 0) return null;
  return (
    <Section
      title="Members now"
      actions={<Muted className="text-xs">{`read every ${REFRESH_MS / 1000} s`}</Muted>}
    >
      <Table head={["Member", "Key values"]}>
        {members.map((m, i) => {
          const read = reads[i];
          const values = (read?.data?.values ?? []).filter((v) => v.instance === "");
          const reported = values.filter((v) => v.ts !== null);
          const shown = reported.slice(0, KEY_VALUES);
          const never = values.length - reported.length;
          return (
            <tr key={m.component.id} data-testid="member-values" data-path={m.component.path}>
              <td className={cellClass}>
                <TextLink href={componentHref(m.component.path)}>
                  {m.component.label ?? m.component.path}
                </TextLink>
              </td>
              <td className={cellClass}>
                <ErrorText error={read?.error} />
                {read?.data && shown.length === 0 ? (
                  <Muted>{values.length ? "nothing reported yet" : "no values declared"}</Muted>
                ) : (
                  <ul className="flex flex-wrap gap-x-4 gap-y-1">
                    {shown.map((v) => (
                      <li
                        key={v.signal}
                        data-testid="member-value"
                        data-signal={v.signal}
                        className="flex items-center gap-1"
                      >
                        <span className={mutedClass}>{v.label}</span>
                        <span className="font-mono">
                          {formatSampleValue(v.value, v.unit, v.precision)}
                        </span>
                        <StatusBadge status={v.state} />
                      </li>
                    ))}
                    {reported.length > shown.length ? (
                      <li className={mutedClass}>{`+${reported.length - shown.length} more`}</li>
                    ) : null}
                    {never > 0 ? <li className={mutedClass}>{`${never} never reported`}</li> : null}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </Table>
    </Section>
  );
}
