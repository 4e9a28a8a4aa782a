"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC, useTRPCClient } from "~/client/trpc";
import { cellClass, ErrorText, Loading, Muted, mutedClass, Table } from "~/ui/controls";
import { Explained } from "~/ui/explained";
import { plural } from "~/ui/format";
import { componentHref, LocationLink, locationHref, systemHref, TextLink } from "~/ui/links";
import { parentOf } from "~/ui/names";
import { FreshnessLine } from "~/ui/freshness";
import { PlacedHeader } from "~/ui/placed-header";
import { Facts, Section } from "~/ui/section";
import { HealthBadge } from "~/ui/health-badge";
import { HealthPanel } from "~/ui/health-panel";
import { Time } from "~/ui/time";

const SHOWN = 100;

/**
 * One location: its details, the locations inside it, the systems and components placed in it
 * or below, and (composed by the route) its current values.
 */
export function LocationDetailView({
  locationRef,
  values,
  assessment,
}: {
  locationRef: string;
  values?: ReactNode;
  /** The header's assessment download (composed by the route). */
  assessment?: ReactNode;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.location.get.queryOptions({ ref: locationRef }));
  const path = detail.data?.path ?? locationRef;
  const filter = `location=${path}`;
  const children = useQuery(
    trpc.location.list.queryOptions({ parent: locationRef, page_size: 500 }),
  );
  const systems = useQuery(trpc.system.list.queryOptions({ filter, page_size: SHOWN }));
  const components = useQuery(trpc.component.list.queryOptions({ filter, page_size: SHOWN }));
  const invalidate = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.location.pathKey() });

  if (detail.error) return <ErrorText error={detail.error} />;
  const l = detail.data;
  if (!l) return <Loading />;
  const parent = parentOf(l.path);
  const here = encodeURIComponent(l.path);
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PlacedHeader
        what="location"
        object={{ ...l, location: parent }}
        hrefOf={locationHref}
        listHref="/locations"
        consequence="Only an empty location can be deleted: move or delete what is inside first."
        onChanged={invalidate}
        actions={{
          rename: (name) => client.location.rename.mutate({ ref: l.id, name, version: l.version }),
          move: (to) => client.location.move.mutate({ ref: l.id, parent: to, version: l.version }),
          remove: () => client.location.delete.mutate({ ref: l.id }),
        }}
        extra={
          <>
            {assessment}
            <TextLink className="self-center text-sm" href={`/systems/new?location=${here}`}>
              Add system here
            </TextLink>
            <TextLink className="self-center text-sm" href={`/components/new?location=${here}`}>
              Add component here
            </TextLink>
          </>
        }
      />
      <FreshnessLine updatedAt={detail.dataUpdatedAt} failed={detail.isError} />
      <HealthPanel kind="location" ownerRef={l.id} ownerId={l.id} />
      <Section title="Details">
        <Facts
          items={[
            ["Type", l.type],
            ["Inside", parent ? <LocationLink key="p" path={parent} /> : "the top level"],
            ["Locations inside", l.childCount],
            ["Version", l.version],
            ["Created", <Time key="c" value={l.createdAt} />],
            ["Updated", <Time key="u" value={l.updatedAt} />],
          ]}
        />
      </Section>

      <Section title="Inside">
        <ErrorText error={children.error} />
        {children.data?.items.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>No locations inside.</p>
        ) : (
          <Table head={["Location", "Type", "Inside", "Systems", "Components"]}>
            {children.data?.items.map((c) => (
              <tr key={c.id} data-testid="child-location" data-path={c.path}>
                <td className={cellClass}>
                  <TextLink href={locationHref(c.path)}>{c.label ?? c.name}</TextLink>
                  <Muted className="ml-2 text-xs">{c.path}</Muted>
                </td>
                <td className={cellClass}>{c.type}</td>
                <td className={cellClass}>{c.childCount}</td>
                <td className={cellClass}>{c.systemCount}</td>
                <td className={cellClass}>{c.componentCount}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <Section
        title="Systems"
        actions={
          <TextLink className="text-sm" href={`/systems?location=${here}`}>
            {systems.data
              ? `All ${plural(systems.data.totalSize ?? 0, "system")} in the list`
              : "In the list"}
          </TextLink>
        }
      >
        <ErrorText error={systems.error} />
        {systems.data?.items.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>No system is placed here or below.</p>
        ) : (
          <Table head={["System", "Health", "Type", "Placed in", "Members"]}>
            {systems.data?.items.map((s) => (
              <tr key={s.id} data-testid="location-system" data-path={s.path}>
                <td className={cellClass}>
                  <TextLink href={systemHref(s.path)}>{s.label ?? s.name}</TextLink>
                </td>
                <td className={cellClass}>
                  <HealthBadge health={s.health} ownerId={s.id} />
                </td>
                <td className={cellClass}>{s.type}</td>
                <td className={cellClass}>
                  <LocationLink path={s.location.path} />
                </td>
                <td className={cellClass}>{s.memberCount}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <Section
        title="Components"
        actions={
          <TextLink className="text-sm" href={`/components?location=${here}`}>
            {components.data
              ? `All ${plural(components.data.totalSize ?? 0, "component")} in the list`
              : "In the list"}
          </TextLink>
        }
      >
        <ErrorText error={components.error} />
        {components.data?.items.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>No component is placed here or below.</p>
        ) : (
          <Table head={["Component", "Health", "Kind", "Placed in", "Template"]}>
            {components.data?.items.map((c) => (
              <tr key={c.id} data-testid="location-component" data-path={c.path}>
                <td className={cellClass}>
                  <TextLink href={componentHref(c.path)}>{c.label ?? c.name}</TextLink>
                </td>
                <td className={cellClass}>
                  <HealthBadge health={c.health} ownerId={c.id} />
                </td>
                <td className={cellClass}>{c.kind}</td>
                <td className={cellClass}>
                  <LocationLink path={c.location.path} />
                </td>
                <td className={cellClass}>
                  {c.template.name}@{c.template.version}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      {values}

      <Explained target={`location.${l.path}`} />
    </div>
  );
}
