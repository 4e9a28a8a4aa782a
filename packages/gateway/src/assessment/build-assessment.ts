import type {
  Assessment,
  AssessmentAlarm,
  AssessmentComponent,
  AssessmentSample,
  AssessmentSystem,
  SummaryItem,
  Verdict,
} from "@omniglass/contracts";
import type { ProducedSignal } from "@omniglass/domain";
import { freshnessAt } from "../readings/values";
import { findContradictions } from "./contradictions";
import type { AssessmentScope } from "./resolve-scope";

/*
 * From the rows read in one snapshot to the assessment, without I/O. Every list is sorted by
 * path, ref or name (compareText: code-point order, the same in every locale), never by time.
 */

type Instant = Date | string | null;

interface RawHealth {
  verdict: Verdict | null;
  since: Instant;
  explanation: string | null;
}

export interface RawLocation extends RawHealth {
  id: string;
  path: string;
  label: string | null;
  type: string;
}

export interface RawSystem extends RawHealth {
  id: string;
  path: string;
  label: string | null;
  type: string;
  location: string;
  roles: {
    name: string;
    quorum: number;
    impact: "outage" | "degraded" | "none";
    filledBy: string[];
  }[];
  members: string[] | null;
}

export interface RawInterface {
  name: string;
  protocol: string;
  node: string | null;
  online: boolean | null;
}

export interface RawComponent extends RawHealth {
  id: string;
  path: string;
  label: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  mac: string | null;
  template_id: string;
  template_name: string;
  template_version: number;
  systems: string[] | null;
  monitored: boolean;
  interfaces: RawInterface[];
  declarations: { key: string; value: unknown }[];
}

export interface RawSeries {
  component_id: string;
  signal: string;
  unit: string | null;
  instance: string;
  value: unknown;
  ts: Instant;
  provenance: "observed" | "pushed" | "declared" | null;
  state: "fresh" | "stale" | null;
  state_since: Instant;
  stale_at: Instant;
  source: string | null;
}

export interface RawAlarm {
  id: string;
  owner_id: string;
  severity: "info" | "warning" | "critical";
  rule: string;
  instance: string;
  summary: string;
  opened_at: Date | string;
  acknowledged: boolean;
  suppressed: boolean;
}

export interface Facts {
  scope: AssessmentScope;
  version: string;
  requestedBy: string;
  generatedAt: Date;
  revision: string;
  locations: RawLocation[];
  systems: RawSystem[];
  components: RawComponent[];
  templates: Map<string, ProducedSignal[]>;
  series: RawSeries[];
  alarms: RawAlarm[];
}

export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const date = (value: Instant) => (value === null ? null : new Date(value));
const iso = (value: Instant) => date(value)?.toISOString() ?? null;

const health = (row: RawHealth) => ({
  verdict: row.verdict,
  since: iso(row.since),
  explanation: row.explanation ?? "No verdict recorded yet: it is judged on its next change.",
});

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

function alarmsByOwner(alarms: RawAlarm[]): Map<string, AssessmentAlarm[]> {
  const byOwner = new Map<string, AssessmentAlarm[]>();
  for (const a of alarms) {
    const list = byOwner.get(a.owner_id) ?? [];
    list.push({
      id: a.id,
      severity: a.severity,
      rule: a.rule,
      instance: a.instance,
      summary: a.summary,
      since: new Date(a.opened_at).toISOString(),
      acknowledged: a.acknowledged,
      suppressed: a.suppressed,
    });
    byOwner.set(a.owner_id, list);
  }
  // Worst first, then by rule, instance and id: no time in the order.
  for (const list of byOwner.values())
    list.sort(
      (x, y) =>
        SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] ||
        compareText(x.rule, y.rule) ||
        compareText(x.instance, y.instance) ||
        compareText(x.id, y.id),
    );
  return byOwner;
}

const seriesName = (signal: string, instance: string) =>
  instance === "" ? signal : `${signal}[${instance}]`;

function componentOf(
  c: RawComponent,
  produced: ProducedSignal[],
  series: RawSeries[],
  alarms: AssessmentAlarm[],
  at: Date,
): AssessmentComponent {
  const bySignal = new Map(produced.map((p) => [p.signal, p]));
  const interfaces = new Map(c.interfaces.map((i) => [i.name, i]));
  const samples: AssessmentSample[] = series
    .map((s): AssessmentSample => {
      const ts = date(s.ts);
      const { state, since } = freshnessAt(
        { state: s.state, stateSince: date(s.state_since), staleAt: date(s.stale_at), ts },
        at,
      );
      const declared = bySignal.get(s.signal);
      const bound = declared ? interfaces.get(declared.interface) : undefined;
      return {
        signal: s.signal,
        instance: s.instance,
        value: (s.value ?? null) as AssessmentSample["value"],
        unit: s.unit,
        observedAt: ts?.toISOString() ?? null,
        freshness: state,
        staleSince: state === "stale" ? (since?.toISOString() ?? null) : null,
        provenance: s.provenance,
        source: {
          node: bound?.node ?? null,
          interface: declared?.interface ?? null,
          protocol: declared?.protocol ?? null,
          principal: s.source,
        },
      };
    })
    .sort((a, b) => compareText(a.signal, b.signal) || compareText(a.instance, b.instance));
  const seen = new Set(samples.filter((s) => s.observedAt !== null).map((s) => s.signal));
  const gaps: AssessmentComponent["gaps"] = [];
  if (!c.monitored)
    gaps.push({
      kind: "not-monitored",
      signal: null,
      detail: "No node polls any of its interfaces and nothing pushes its samples.",
    });
  for (const p of produced)
    if (!seen.has(p.signal))
      gaps.push({
        kind: "never-seen",
        signal: p.signal,
        detail: `${c.template_name}@${c.template_version} reads it every ${p.intervalMs / 1000} s (${p.function} over ${p.interface}/${p.protocol}); no value has arrived.`,
      });
  return {
    id: c.id,
    path: c.path,
    label: c.label,
    template: `${c.template_name}@${c.template_version}`,
    vendor: c.vendor,
    model: c.model,
    systems: [...(c.systems ?? [])].sort(compareText),
    monitored: c.monitored,
    collectors: [
      ...new Map(
        c.interfaces
          .filter((i) => i.node !== null)
          .map((i) => [i.node!, { node: i.node!, online: i.online === true }]),
      ).values(),
    ].sort((a, b) => compareText(a.node, b.node)),
    health: health(c),
    samples,
    alarms,
    stale: samples
      .filter((s) => s.freshness === "stale")
      .map((s) => seriesName(s.signal, s.instance)),
    gaps,
  };
}

type State = "working" | "degraded" | "missing" | "blocked";

/** The state of the summary a system or component is in, and the sentence saying why. */
function stateOf(item: { verdict: Verdict | null; explanation: string; monitored?: boolean }): {
  state: State;
  reason: string;
} {
  if (item.monitored === false)
    return { state: "missing", reason: "Not monitored: no node polls its interfaces." };
  switch (item.verdict) {
    case "healthy":
      return { state: "working", reason: item.explanation };
    case "degraded":
    case "outage":
      return { state: "degraded", reason: item.explanation };
    case "incomplete":
      return { state: "missing", reason: item.explanation };
    case "unknown":
    case null:
      return { state: "blocked", reason: item.explanation };
  }
}

export function buildAssessment(facts: Facts): Assessment {
  const at = facts.generatedAt;
  const alarms = alarmsByOwner(facts.alarms);
  const seriesOf = new Map<string, RawSeries[]>();
  for (const s of facts.series)
    seriesOf.set(s.component_id, [...(seriesOf.get(s.component_id) ?? []), s]);

  const components = facts.components
    .map((c) =>
      componentOf(
        c,
        facts.templates.get(c.template_id) ?? [],
        seriesOf.get(c.id) ?? [],
        alarms.get(c.id) ?? [],
        at,
      ),
    )
    .sort((a, b) => compareText(a.path, b.path));
  const systems: AssessmentSystem[] = facts.systems
    .map((s) => ({
      id: s.id,
      path: s.path,
      label: s.label,
      type: s.type,
      location: s.location,
      health: health(s),
      roles: [...s.roles]
        .map((r) => ({ ...r, filledBy: [...r.filledBy].sort(compareText) }))
        .sort((a, b) => compareText(a.name, b.name)),
      members: [...(s.members ?? [])].sort(compareText),
      alarms: alarms.get(s.id) ?? [],
    }))
    .sort((a, b) => compareText(a.path, b.path));
  const locations = facts.locations
    .map((l) => ({
      id: l.id,
      path: l.path,
      label: l.label,
      type: l.type,
      health: health(l),
      alarms: alarms.get(l.id) ?? [],
    }))
    .sort((a, b) => compareText(a.path, b.path));

  const contradictions = findContradictions({
    components: facts.components,
    assessed: components,
    systems,
  });

  const groups: Record<State, SummaryItem[]> = {
    working: [],
    degraded: [],
    missing: [],
    blocked: [],
  };
  for (const s of systems) {
    const { state, reason } = stateOf(s.health);
    groups[state].push({ kind: "system", ref: s.path, verdict: s.health.verdict, reason });
  }
  for (const c of components) {
    const { state, reason } = stateOf({ ...c.health, monitored: c.monitored });
    groups[state].push({ kind: "component", ref: c.path, verdict: c.health.verdict, reason });
  }
  const group = (state: State) => {
    const items = groups[state].sort(
      (a, b) => compareText(a.ref, b.ref) || compareText(a.kind, b.kind),
    );
    return { count: items.length, items };
  };

  return {
    generatedAt: at.toISOString(),
    productVersion: facts.version,
    estateRevision: facts.revision,
    scope: { kind: facts.scope.kind, ref: facts.scope.ref, path: facts.scope.path },
    requestedBy: facts.requestedBy,
    summary: {
      working: group("working"),
      degraded: group("degraded"),
      missing: group("missing"),
      blocked: group("blocked"),
      contradictions: contradictions.length,
    },
    locations,
    systems,
    components,
    contradictions,
  };
}
