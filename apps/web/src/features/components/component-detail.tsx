"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC, useTRPCClient } from "~/client/trpc";
import { cellClass, ErrorText, Loading, Muted, mutedClass, Table } from "~/ui/controls";
import { Explained } from "~/ui/explained";
import { HealthPanel } from "~/ui/health-panel";
import { componentHref, LocationLink, nodeHref, systemHref, TextLink } from "~/ui/links";
import { FreshnessLine } from "~/ui/freshness";
import { placedActions, PlacedHeader } from "~/ui/placed-header";
import { Facts, Section } from "~/ui/section";
import { EditComponent } from "./edit-component";
import { TemplatePin } from "./template-pin";

/**
 * One component: identity, template pin, interfaces, systems, signals, effective tags/variables.
 * `telemetry` is its live values and rejections, composed by the route (features do not import
 * each other).
 */
export function ComponentDetailView({
  componentRef,
  telemetry,
}: {
  componentRef: string;
  telemetry?: ReactNode;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.component.get.queryOptions({ ref: componentRef }));
  const invalidate = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.component.pathKey() });

  if (detail.error) return <ErrorText error={detail.error} />;
  const c = detail.data;
  if (!c) return <Loading />;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PlacedHeader
        what="component"
        object={{ ...c, location: c.location.path }}
        hrefOf={componentHref}
        listHref="/components"
        consequence="It leaves every system it serves, and its collection stops."
        editor={(done) => <EditComponent component={c} onDone={done} />}
        onChanged={invalidate}
        actions={placedActions(client.component, c)}
      />
      <FreshnessLine updatedAt={detail.dataUpdatedAt} failed={detail.isError} />

      <HealthPanel kind="component" ownerRef={c.id} ownerId={c.id} />

      <Section title="Identity">
        <Facts
          items={[
            ["Kind", c.kind],
            ["Location", <LocationLink key="l" path={c.location.path} />],
            [
              "Primary system",
              c.primarySystem ? (
                <TextLink href={systemHref(c.primarySystem.path)}>{c.primarySystem.path}</TextLink>
              ) : null,
            ],
            ["Vendor", c.vendor],
            ["Model", c.model],
            ["Serial", c.serial],
            ["MAC", c.mac ? <span className="font-mono">{c.mac}</span> : null],
            ["Address", c.address ? <span className="font-mono">{c.address}</span> : null],
            ["Version", c.version],
          ]}
        />
      </Section>

      {telemetry}

      <TemplatePin component={c} onChanged={invalidate} />

      <Section title="Interfaces">
        <Table head={["Interface", "Protocol", "Host", "Port", "Polled by"]}>
          {c.interfaces.map((i) => (
            <tr key={i.name}>
              <td className={cellClass}>{i.name}</td>
              <td className={cellClass}>{i.protocol}</td>
              <td className={cellClass}>
                {i.host ?? <Muted>{c.address ?? "component address"}</Muted>}
              </td>
              <td className={cellClass}>{i.port ?? "default"}</td>
              <td className={cellClass}>
                {i.node ? (
                  <TextLink href={nodeHref(i.node.name)}>{i.node.name}</TextLink>
                ) : (
                  <Muted>no node</Muted>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section title="Systems">
        {c.systems.length === 0 ? (
          <p className={`text-sm ${mutedClass}`}>It serves no system.</p>
        ) : (
          <Table head={["System", "Primary", "Role"]}>
            {c.systems.map((s) => (
              <tr key={s.id}>
                <td className={cellClass}>
                  <TextLink href={systemHref(s.path)}>{s.path}</TextLink>
                </td>
                <td className={cellClass}>{s.primary ? "primary" : ""}</td>
                <td className={cellClass}>{s.role ?? ""}</td>
              </tr>
            ))}
          </Table>
        )}
      </Section>

      <Section title="Signals">
        <p className={`text-sm ${mutedClass}`}>
          What it reports, as {c.template.name}@{c.template.version} declares.
        </p>
        <Table head={["Signal", "Lane", "Unit", "Every", "Function", "Interface"]}>
          {c.signals.map((s) => (
            <tr key={`${s.function}/${s.name}`} data-testid="signal-row" data-signal={s.name}>
              <td className={cellClass}>
                <span className="font-mono">{s.name}</span>
                <Muted className="ml-2">{s.label}</Muted>
              </td>
              <td className={cellClass}>{s.lane}</td>
              <td className={cellClass}>{s.unit ?? ""}</td>
              <td className={cellClass}>{s.intervalSeconds} s</td>
              <td className={cellClass}>{s.function}</td>
              <td className={cellClass}>{s.interface}</td>
            </tr>
          ))}
        </Table>
      </Section>

      <Explained target={`component.${c.path}`} />
    </div>
  );
}
