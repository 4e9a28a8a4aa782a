"use client";

import { useQuery } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { LocationListItem, System } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { ErrorText, mutedClass, PageHeader } from "~/ui/controls";
import { plural } from "~/ui/format";
import { HealthBadge } from "~/ui/health-badge";
import { componentHref, locationHref, systemHref, TextLink } from "~/ui/links";

/**
 * The estate as a tree: locations › systems › components, each level loaded when it is opened.
 * A location shows its child locations, the systems placed in it, then the components placed in it
 * that are not already shown under one of those systems. A system shows its members.
 */
export function EstateTree() {
  const trpc = useTRPC();
  const roots = useQuery(trpc.location.list.queryOptions({ parent: "root", page_size: 500 }));
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title="Estate">
        <div className="flex gap-3 text-sm">
          <TextLink href="/systems/new">New system</TextLink>
          <TextLink href="/components/new">New component</TextLink>
        </div>
      </PageHeader>
      <p className={`text-sm ${mutedClass}`}>
        Locations, the systems placed in them and their components. Open a row to load what is
        inside.
      </p>
      <ErrorText error={roots.error} />
      {roots.data?.items.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>
          No locations yet: create them under <TextLink href="/locations">Locations</TextLink>.
        </p>
      ) : null}
      <ul
        aria-label="Estate tree"
        className="flex flex-col rounded-lg border border-zinc-200 py-1 dark:border-zinc-800"
      >
        {roots.data?.items.map((l) => (
          <LocationNode key={l.id} location={l} depth={0} />
        ))}
      </ul>
    </div>
  );
}

function Toggle({
  open,
  onToggle,
  name,
  disabled,
}: {
  open: boolean;
  onToggle: () => void;
  name: string;
  disabled?: boolean;
}) {
  if (disabled) return <span className="inline-block w-6" aria-hidden="true" />;
  return (
    <button
      type="button"
      aria-expanded={open}
      aria-label={`${open ? "Collapse" : "Expand"} ${name}`}
      onClick={onToggle}
      className="inline-flex h-6 w-6 items-center justify-center rounded text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <span aria-hidden="true" className={`transition-transform ${open ? "rotate-90" : ""}`}>
        ▸
      </span>
    </button>
  );
}

function Row({
  depth,
  testId,
  path,
  children,
  actions,
}: {
  depth: number;
  testId: string;
  path: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div
      data-testid={testId}
      data-path={path}
      className="group flex items-center justify-between gap-2 px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-900"
      style={{ paddingLeft: `${0.5 + depth * 1.5}rem` }}
    >
      <div className="flex min-w-0 items-center gap-2">{children}</div>
      {actions ? <div className="flex shrink-0 gap-3 text-xs">{actions}</div> : null}
    </div>
  );
}

const badge =
  "rounded bg-zinc-100 px-1.5 py-0.5 text-[11px] uppercase tracking-wide text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300";
const muted = `text-xs ${mutedClass}`;

/** A location row: its subtree counts ride in the location list's page (no query per row). */
function LocationNode({ location, depth }: { location: LocationListItem; depth: number }) {
  const [open, setOpen] = useState(false);
  const counts = [
    location.childCount ? `${location.childCount} inside` : null,
    location.systemCount ? plural(location.systemCount, "system") : null,
    location.componentCount ? plural(location.componentCount, "component") : null,
  ].filter(Boolean);
  const empty =
    location.childCount === 0 && location.systemCount === 0 && location.componentCount === 0;
  const here = encodeURIComponent(location.path);
  return (
    <li>
      <Row
        depth={depth}
        testId="estate-location"
        path={location.path}
        actions={
          <>
            <TextLink href={`/systems/new?location=${here}`}>Add system here</TextLink>
            <TextLink href={`/components/new?location=${here}`}>Add component here</TextLink>
          </>
        }
      >
        <Toggle open={open} onToggle={() => setOpen(!open)} name={location.path} disabled={empty} />
        <span className={badge}>{location.type}</span>
        <TextLink href={locationHref(location.path)}>{location.label ?? location.name}</TextLink>
        <HealthBadge health={location.health} ownerId={location.id} />
        <span className={muted}>{location.path}</span>
        {counts.length ? <span className={muted}>· {counts.join(" · ")}</span> : null}
      </Row>
      {open ? <LocationChildren location={location} depth={depth + 1} /> : null}
    </li>
  );
}

function LocationChildren({ location, depth }: { location: LocationListItem; depth: number }) {
  const trpc = useTRPC();
  const filter = `location=${location.path}`;
  const children = useQuery(
    trpc.location.list.queryOptions({ parent: location.path, page_size: 500 }),
  );
  const systems = useQuery(trpc.system.list.queryOptions({ filter, page_size: 500 }));
  const components = useQuery(trpc.component.list.queryOptions({ filter, page_size: 500 }));
  // The filters include the subtree: keep only what is placed right here.
  const systemsHere = systems.data?.items.filter((s) => s.location.path === location.path) ?? [];
  const shownUnder = new Set(systemsHere.map((s) => s.path));
  const componentsHere =
    components.data?.items.filter(
      (c) =>
        c.location.path === location.path &&
        !(c.primarySystem && shownUnder.has(c.primarySystem.path)),
    ) ?? [];
  const loading = children.isPending || systems.isPending || components.isPending;
  return (
    <ul aria-label={`Inside ${location.path}`}>
      <ErrorText error={children.error ?? systems.error ?? components.error} />
      {children.data?.items.map((l) => (
        <LocationNode key={l.id} location={l} depth={depth} />
      ))}
      {systemsHere.map((s) => (
        <SystemNode key={s.id} system={s} depth={depth} />
      ))}
      {componentsHere.map((c) => (
        <li key={c.id}>
          <ComponentRow
            depth={depth}
            path={c.path}
            label={c.label}
            name={c.name}
            kind={c.kind}
            extra={`${c.template.name}@${c.template.version}`}
            health={<HealthBadge health={c.health} ownerId={c.id} />}
          />
        </li>
      ))}
      {loading ? (
        <li className={`${muted} px-2 py-1`} style={{ paddingLeft: `${2 + depth * 1.5}rem` }}>
          Loading…
        </li>
      ) : null}
    </ul>
  );
}

function SystemNode({ system, depth }: { system: System; depth: number }) {
  const [open, setOpen] = useState(false);
  return (
    <li>
      <Row
        depth={depth}
        testId="estate-system"
        path={system.path}
        actions={
          <TextLink
            href={`/components/new?location=${encodeURIComponent(system.location.path)}&system=${encodeURIComponent(system.path)}`}
          >
            Add component here
          </TextLink>
        }
      >
        <Toggle
          open={open}
          onToggle={() => setOpen(!open)}
          name={system.path}
          disabled={system.memberCount === 0}
        />
        <span className={badge}>system</span>
        <TextLink href={systemHref(system.path)}>{system.label ?? system.name}</TextLink>
        <HealthBadge health={system.health} ownerId={system.id} />
        <span className={muted}>
          {system.type} · {system.path} · {plural(system.memberCount, "member")}
        </span>
      </Row>
      {open ? <SystemMembers system={system} depth={depth + 1} /> : null}
    </li>
  );
}

function SystemMembers({ system, depth }: { system: System; depth: number }) {
  const trpc = useTRPC();
  const members = useQuery(
    trpc.component.list.queryOptions({ filter: `system=${system.path}`, page_size: 500 }),
  );
  return (
    <ul aria-label={`Members of ${system.path}`}>
      <ErrorText error={members.error} />
      {members.data?.items.map((c) => (
        <li key={c.id}>
          <ComponentRow
            depth={depth}
            path={c.path}
            label={c.label}
            name={c.name}
            kind={c.kind}
            extra={`${c.template.name}@${c.template.version}`}
            health={<HealthBadge health={c.health} ownerId={c.id} />}
          />
        </li>
      ))}
      {members.isPending ? (
        <li className={`${muted} px-2 py-1`} style={{ paddingLeft: `${2 + depth * 1.5}rem` }}>
          Loading…
        </li>
      ) : null}
    </ul>
  );
}

function ComponentRow({
  depth,
  path,
  label,
  name,
  kind,
  extra,
  health,
}: {
  depth: number;
  path: string;
  label: string | null;
  name: string;
  kind: string;
  extra: string;
  health: ReactNode;
}) {
  return (
    <Row depth={depth} testId="estate-component" path={path}>
      <span className="inline-block w-6" aria-hidden="true" />
      <span className={badge}>{kind}</span>
      <TextLink href={componentHref(path)}>{label ?? name}</TextLink>
      {health}
      <span className={muted}>
        {path} · {extra}
      </span>
    </Row>
  );
}
