import type { TemplateDependency } from "@omniglass/contracts";

/**
 * Dependency suppression derived from the model, with no wiring per rule.
 *
 * A component depends on:
 * - for each dependency hint of its template (`dependencies: [{ kind: network-switch, reason }]`,
 *   packages/contracts/src/template.ts), the members **of that kind** of every system it is a
 *   member of ("its room's network switch", "its room's control processor");
 * - the node(s) that poll it (its interfaces' nodes): a dead poller explains every silence.
 *
 * A new alarm is suppressed when an owner it (transitively) depends on has an open **root**
 * alarm — an open alarm that is not itself suppressed by a dependency (the caller passes those).
 * The nearest root wins (fewest links); at equal distance, the order the links are discovered
 * in: the template's hints in declared order, within a hint the component's primary system
 * first and then systems by path, members by path, the pollers after the hints (by name). At
 * one owner, the earliest-opened alarm wins, then the smallest id. The answer names the root
 * alarm and the chain of links that leads to it, for "why was this suppressed".
 */

export interface DependentComponent {
  path: string;
  /** The component's kind (its template's `kind`). */
  kind: string;
  /** Its template's dependency hints, in declared order. */
  dependencies: readonly TemplateDependency[];
  /** The systems it is a member of. */
  systems: readonly { path: string; primary: boolean }[];
  /** Names of the nodes that poll it. */
  polledBy: readonly string[];
}

export interface DependencySystem {
  path: string;
  members: readonly { component: string; kind: string; role: string | null }[];
}

export interface DependencyModel {
  components: ReadonlyMap<string, DependentComponent>;
  systems: ReadonlyMap<string, DependencySystem>;
}

export interface RootAlarm {
  id: string;
  owner: { kind: "component" | "node"; path: string };
  openedAt: Date;
}

export type DependencyLink =
  | {
      via: "template";
      from: string;
      to: string;
      /** The hint's kind and reason, from `from`'s template. */
      dependsOn: string;
      reason: string;
      system: string;
      role: string | null;
    }
  | { via: "poller"; from: string; to: string; reason: string };

export type DependencyDecision =
  { suppressed: false } | { suppressed: true; root: RootAlarm; links: DependencyLink[] };

/** Links further than this are not followed (a room behind a switch behind a node is 3). */
export const MAX_DEPENDENCY_DEPTH = 6;

type OwnerKey = `${"component" | "node"}:${string}`;

function edgesOf(component: DependentComponent, model: DependencyModel): DependencyLink[] {
  const systems = [...component.systems].sort(
    (a, b) => Number(b.primary) - Number(a.primary) || a.path.localeCompare(b.path),
  );
  const links: DependencyLink[] = [];
  for (const hint of component.dependencies) {
    for (const { path } of systems) {
      const system = model.systems.get(path);
      if (!system) continue;
      const members = system.members
        .filter((m) => m.kind === hint.kind && m.component !== component.path)
        .sort((a, b) => a.component.localeCompare(b.component));
      for (const member of members) {
        links.push({
          via: "template",
          from: component.path,
          to: member.component,
          dependsOn: hint.kind,
          reason: hint.reason,
          system: system.path,
          role: member.role,
        });
      }
    }
  }
  for (const node of [...component.polledBy].sort()) {
    links.push({
      via: "poller",
      from: component.path,
      to: node,
      reason: `${component.path} is polled by node ${node}`,
    });
  }
  return links;
}

function bestByOwner(roots: readonly RootAlarm[]): Map<OwnerKey, RootAlarm> {
  const best = new Map<OwnerKey, RootAlarm>();
  for (const alarm of roots) {
    const key: OwnerKey = `${alarm.owner.kind}:${alarm.owner.path}`;
    const current = best.get(key);
    if (
      !current ||
      alarm.openedAt < current.openedAt ||
      (alarm.openedAt.getTime() === current.openedAt.getTime() && alarm.id < current.id)
    ) {
      best.set(key, alarm);
    }
  }
  return best;
}

/**
 * Whether a new alarm on `componentPath` is suppressed, and by which root alarm. Pure: the
 * caller reads the model and the open root alarms. The component's own alarms never
 * suppress it (it is where the walk starts, and a cycle back to it is not followed).
 */
export function findDependencyRoot(
  componentPath: string,
  model: DependencyModel,
  roots: readonly RootAlarm[],
  maxDepth = MAX_DEPENDENCY_DEPTH,
): DependencyDecision {
  const start = model.components.get(componentPath);
  if (!start || roots.length === 0) return { suppressed: false };
  const alarms = bestByOwner(roots);
  const seen = new Set<OwnerKey>([`component:${componentPath}`]);
  let frontier: { facts: DependentComponent; links: DependencyLink[] }[] = [
    { facts: start, links: [] },
  ];
  for (let depth = 1; depth <= maxDepth && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const { facts, links } of frontier) {
      for (const link of edgesOf(facts, model)) {
        const key: OwnerKey = `${link.via === "poller" ? "node" : "component"}:${link.to}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const chain = [...links, link];
        const alarm = alarms.get(key);
        if (alarm) return { suppressed: true, root: alarm, links: chain };
        const target = link.via === "template" ? model.components.get(link.to) : undefined;
        if (target) next.push({ facts: target, links: chain });
      }
    }
    frontier = next;
  }
  return { suppressed: false };
}
