"use client";

import type { ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "~/client/trpc";
import { Button, cellClass, ErrorText, Loading, mutedClass, Table } from "~/ui/controls";
import { Explained } from "~/ui/explained";
import { HealthPanel } from "~/ui/health-panel";
import { plural } from "~/ui/format";
import { componentHref, LocationLink, systemHref, TextLink } from "~/ui/links";
import { FreshnessLine } from "~/ui/freshness";
import { placedActions, PlacedHeader } from "~/ui/placed-header";
import { Facts, Section } from "~/ui/section";
import { MemberValues } from "./member-values";
import { AddMember, AddRole, EditSystem } from "./system-forms";

/** One system: its roles and who fills them, its members, and edit/rename/move/delete. */
export function SystemDetailView({
  systemRef,
  assessment,
}: {
  systemRef: string;
  /** The header's assessment download (composed by the route). */
  assessment?: ReactNode;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.system.get.queryOptions({ ref: systemRef }));
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.system.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.component.pathKey() });
  };
  const removeMember = useMutation(
    trpc.system.removeMember.mutationOptions({ onSuccess: invalidate }),
  );
  const deleteRole = useMutation(trpc.system.deleteRole.mutationOptions({ onSuccess: invalidate }));

  if (detail.error) return <ErrorText error={detail.error} />;
  const s = detail.data;
  if (!s) return <Loading />;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PlacedHeader
        what="system"
        object={{ ...s, location: s.location.path }}
        hrefOf={systemHref}
        listHref="/systems"
        consequence="Its roles go with it; its components stay where they are."
        editor={(done) => <EditSystem system={s} onDone={done} />}
        onChanged={invalidate}
        actions={placedActions(client.system, s)}
        extra={assessment}
      />
      <FreshnessLine updatedAt={detail.dataUpdatedAt} failed={detail.isError} />

      <HealthPanel kind="system" ownerRef={s.id} ownerId={s.id} />

      <MemberValues members={s.members} />

      <Section title="Identity">
        <Facts
          items={[
            ["Type", s.type],
            ["Location", <LocationLink key="l" path={s.location.path} />],
            ["Members", s.memberCount],
            ["Version", s.version],
          ]}
        />
      </Section>

      <Section title="Roles">
        <ErrorText error={deleteRole.error} />
        {s.roles.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>
            No roles: add the slots this system needs filled.
          </p>
        ) : (
          <Table
            head={[
              "Role",
              "Accepts",
              "Filled / quorum",
              "Impact",
              "Filled by",
              { label: "Actions", hidden: true },
            ]}
          >
            {s.roles.map((r) => (
              <tr key={r.id} data-testid="role-row" data-role={r.name}>
                <td className={cellClass}>
                  {r.name}
                  {r.label ? <span className={`ml-2 ${mutedClass}`}>{r.label}</span> : null}
                </td>
                <td className={cellClass}>{r.accepts.join(", ")}</td>
                <td className={cellClass}>
                  <span data-testid="quorum">
                    {`${plural(r.members.length, "member")} filled, quorum ${r.quorum}`}
                  </span>
                  {r.members.length < r.quorum ? (
                    <span className="ml-2 text-amber-700 dark:text-amber-300">below quorum</span>
                  ) : null}
                </td>
                <td className={cellClass}>{r.impact}</td>
                <td className={cellClass}>
                  {r.members.map((m) => (
                    <TextLink key={m} className="mr-2" href={componentHref(m)}>
                      {m}
                    </TextLink>
                  ))}
                </td>
                <td className={cellClass}>
                  <Button
                    variant="danger"
                    disabled={deleteRole.isPending}
                    onClick={() => {
                      if (window.confirm(`Delete the role ${r.name} of ${s.path}?`))
                        deleteRole.mutate({ ref: s.id, role: r.name });
                    }}
                  >
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
        <AddRole system={s} onDone={invalidate} />
      </Section>

      <Section
        title="Members"
        actions={
          <TextLink
            className="text-sm"
            href={`/components/new?location=${encodeURIComponent(s.location.path)}&system=${encodeURIComponent(s.path)}`}
          >
            Add component here
          </TextLink>
        }
      >
        <ErrorText error={removeMember.error} />
        {s.members.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>No members yet.</p>
        ) : (
          <Table
            head={[
              "Component",
              "Kind",
              "Template",
              "Primary",
              "Role",
              { label: "Actions", hidden: true },
            ]}
          >
            {s.members.map((m) => (
              <tr key={m.component.id} data-testid="member-row" data-path={m.component.path}>
                <td className={cellClass}>
                  <TextLink href={componentHref(m.component.path)}>{m.component.path}</TextLink>
                  {m.component.label ? (
                    <span className={`ml-2 ${mutedClass}`}>{m.component.label}</span>
                  ) : null}
                </td>
                <td className={cellClass}>{m.kind}</td>
                <td className={cellClass}>{m.template}</td>
                <td className={cellClass}>{m.primary ? "primary" : ""}</td>
                <td className={cellClass}>{m.role ?? ""}</td>
                <td className={cellClass}>
                  <Button
                    disabled={removeMember.isPending}
                    onClick={() => {
                      if (window.confirm(`Remove ${m.component.path} from ${s.path}?`))
                        removeMember.mutate({ ref: s.id, component: m.component.id });
                    }}
                  >
                    Remove
                  </Button>
                </td>
              </tr>
            ))}
          </Table>
        )}
        <AddMember system={s} onDone={invalidate} />
      </Section>

      <Explained target={`system.${s.path}`} />
    </div>
  );
}
