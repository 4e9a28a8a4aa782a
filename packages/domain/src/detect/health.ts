/**
 * Health verdicts, pure. Ranked healthy < incomplete < unknown < degraded < outage; the worst
 * contribution wins. A component is judged by its open alarms and whether anything observes it;
 * a system by its roles (quorum and impact), its other members and its own alarms; a location by
 * everything in its subtree. Every verdict carries the causes that made it, down to the red leaf.
 */
export const VERDICTS = ["healthy", "incomplete", "unknown", "degraded", "outage"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const rankOf = (verdict: Verdict) => VERDICTS.indexOf(verdict);
export const worst = (...verdicts: Verdict[]): Verdict =>
  verdicts.reduce<Verdict>((a, b) => (rankOf(b) > rankOf(a) ? b : a), "healthy");

export type Severity = "info" | "warning" | "critical";

export interface OpenAlarm {
  id: string;
  rule: string;
  severity: Severity;
  /** What the operator reads: "unreachable", "lamp-status error". */
  summary: string;
}

export type Cause =
  | {
      kind: "alarm";
      alarmId: string;
      rule: string;
      severity: Severity;
      owner: string;
      summary: string;
    }
  | { kind: "not-monitored"; owner: string }
  | { kind: "collector-down"; owner: string; node: string }
  | { kind: "no-data"; owner: string }
  | {
      kind: "role";
      owner: string;
      role: string;
      working: number;
      installed: number;
      quorum: number;
      impact: "outage" | "degraded" | "none";
      members: { path: string; verdict: Verdict }[];
    }
  | { kind: "member"; owner: string; path: string; verdict: Verdict }
  | {
      kind: "child";
      owner: string;
      path: string;
      verdict: Verdict;
      /** What the child is, and its id, so a reader can link it (absent on rows written before). */
      childKind?: "location" | "system" | "component";
      childId?: string;
    };

export interface Judgement {
  verdict: Verdict;
  /** Why, worst first; empty when healthy. */
  causes: Cause[];
  /** The red leaves under the causes (alarms and observation gaps of components), for "why". */
  leaves: Cause[];
}

const HEALTHY: Judgement = { verdict: "healthy", causes: [], leaves: [] };

const ALARM_VERDICT: Record<Severity, Verdict> = {
  critical: "outage",
  warning: "degraded",
  info: "healthy",
};

function alarmCauses(owner: string, alarms: readonly OpenAlarm[]) {
  return alarms
    .filter((a) => a.severity !== "info")
    .map((a): Cause => ({
      kind: "alarm",
      alarmId: a.id,
      rule: a.rule,
      severity: a.severity,
      owner,
      summary: a.summary,
    }));
}

function combine(parts: { verdict: Verdict; cause?: Cause; leaves: Cause[] }[]): Judgement {
  const verdict = worst(...parts.map((p) => p.verdict));
  if (verdict === "healthy") return HEALTHY;
  const relevant = parts
    .filter((p) => p.verdict !== "healthy" && p.cause)
    .sort((a, b) => rankOf(b.verdict) - rankOf(a.verdict));
  return {
    verdict,
    causes: relevant.map((p) => p.cause!),
    leaves: relevant.flatMap((p) => p.leaves),
  };
}

export interface ComponentFacts {
  path: string;
  /** Some node polls one of its interfaces, or something pushed its samples. */
  monitored: boolean;
  /** The node that polls it, when that node stopped heartbeating. */
  collectorDown: string | null;
  /** At least one of its values is fresh. */
  hasFreshData: boolean;
  alarms: readonly OpenAlarm[];
}

/**
 * A component: not monitored, or its collector down, or no fresh data → unknown (never silently
 * healthy, and "the collector is down" is told apart from "the device is down"); otherwise a
 * critical alarm → outage, a warning → degraded.
 */
export function judgeComponent(facts: ComponentFacts): Judgement {
  const { path } = facts;
  const gap: Cause | null = !facts.monitored
    ? { kind: "not-monitored", owner: path }
    : facts.collectorDown
      ? { kind: "collector-down", owner: path, node: facts.collectorDown }
      : !facts.hasFreshData
        ? { kind: "no-data", owner: path }
        : null;
  if (gap) return { verdict: "unknown", causes: [gap], leaves: [gap] };
  return combine(
    alarmCauses(path, facts.alarms).map((cause) => ({
      verdict: ALARM_VERDICT[(cause as { severity: Severity }).severity],
      cause,
      leaves: [cause],
    })),
  );
}

export interface RoleFacts {
  name: string;
  quorum: number;
  impact: "outage" | "degraded" | "none";
  members: { path: string; judgement: Judgement }[];
}

export interface SystemFacts {
  path: string;
  roles: readonly RoleFacts[];
  /** Members that fill no role. */
  others: readonly { path: string; judgement: Judgement }[];
  alarms: readonly OpenAlarm[];
}

const WORKING: readonly Verdict[] = ["healthy", "degraded"];

/**
 * One role's contribution. Quorum met: healthy, or degraded when a member is failing (redundancy
 * lost). Short only because fewer than `quorum` were ever installed: incomplete (commissioning),
 * or healthy when the impact is none. Short because members we cannot see might be working:
 * unknown. Otherwise the role's impact.
 */
export function judgeRole(
  owner: string,
  role: RoleFacts,
): { verdict: Verdict; cause: Cause; leaves: Cause[] } {
  const installed = role.members.length;
  const working = role.members.filter((m) => WORKING.includes(m.judgement.verdict)).length;
  const unknown = role.members.filter((m) => m.judgement.verdict === "unknown").length;
  const missing = Math.max(0, role.quorum - installed);
  const failingLeaves = role.members
    .filter((m) => m.judgement.verdict !== "healthy")
    .flatMap((m) => m.judgement.leaves);
  const cause: Cause = {
    kind: "role",
    owner,
    role: role.name,
    working,
    installed,
    quorum: role.quorum,
    impact: role.impact,
    members: role.members.map((m) => ({ path: m.path, verdict: m.judgement.verdict })),
  };
  let verdict: Verdict;
  if (working >= role.quorum) {
    const failing = role.members.some((m) => rankOf(m.judgement.verdict) >= rankOf("degraded"));
    verdict = failing ? "degraded" : "healthy";
  } else if (working + unknown + missing >= role.quorum) {
    verdict = worst(
      unknown > 0 ? "unknown" : "healthy",
      missing > 0 && role.impact !== "none" ? "incomplete" : "healthy",
    );
  } else {
    verdict = role.impact === "none" ? "healthy" : role.impact;
  }
  return { verdict, cause, leaves: failingLeaves };
}

/** A system: the worst of its roles, its other members (capped at degraded) and its own alarms. */
export function judgeSystem(facts: SystemFacts): Judgement {
  const { path } = facts;
  if (facts.roles.length === 0 && facts.others.length === 0 && facts.alarms.length === 0) {
    return { verdict: "incomplete", causes: [], leaves: [] };
  }
  const others = facts.others.map((m) => {
    const v = m.judgement.verdict;
    const verdict: Verdict = v === "outage" ? "degraded" : v;
    return {
      verdict,
      cause: { kind: "member", owner: path, path: m.path, verdict: v } as Cause,
      leaves: m.judgement.leaves,
    };
  });
  const alarms = alarmCauses(path, facts.alarms).map((cause) => ({
    verdict: ALARM_VERDICT[(cause as { severity: Severity }).severity],
    cause,
    leaves: [cause],
  }));
  return combine([...facts.roles.map((r) => judgeRole(path, r)), ...others, ...alarms]);
}

/** A location: the worst of what is in its subtree (systems, components, child locations). */
export function judgeLocation(
  path: string,
  children: readonly {
    path: string;
    judgement: Judgement;
    kind?: "location" | "system" | "component";
    id?: string;
  }[],
  alarms: readonly OpenAlarm[] = [],
): Judgement {
  return combine([
    ...children.map((c) => ({
      verdict: c.judgement.verdict,
      cause: {
        kind: "child",
        owner: path,
        path: c.path,
        verdict: c.judgement.verdict,
        ...(c.kind && c.id ? { childKind: c.kind, childId: c.id } : {}),
      } as Cause,
      leaves: c.judgement.leaves,
    })),
    ...alarmCauses(path, alarms).map((cause) => ({
      verdict: ALARM_VERDICT[(cause as { severity: Severity }).severity],
      cause,
      leaves: [cause],
    })),
  ]);
}

/** The sentence an operator reads: "outage: role displays 1 of 2 — display-left unreachable". */
export function explain(judgement: Judgement): string {
  if (judgement.verdict === "healthy") return "healthy";
  const first = judgement.causes[0];
  const leaf = judgement.leaves[0];
  const leafText = leaf ? describeCause(leaf) : null;
  const head = first ? describeCause(first) : judgement.verdict;
  return leafText && leaf !== first
    ? `${judgement.verdict}: ${head} — ${leafText}`
    : `${judgement.verdict}: ${head}`;
}

const lastName = (path: string) => path.slice(path.lastIndexOf(".") + 1);

export function describeCause(cause: Cause): string {
  switch (cause.kind) {
    case "alarm":
      return `${lastName(cause.owner)} ${cause.summary}`;
    case "not-monitored":
      return `${lastName(cause.owner)} is not monitored (no node polls it)`;
    case "collector-down":
      return `${lastName(cause.owner)}: its collector ${cause.node} is down`;
    case "no-data":
      return `${lastName(cause.owner)} reports no current data`;
    case "role":
      return cause.installed < cause.quorum && cause.working === cause.installed
        ? `role ${cause.role} ${cause.installed} of ${cause.quorum} installed`
        : cause.working >= cause.quorum && cause.installed > cause.quorum
          ? // Redundancy lost, quorum still met: "displays 1 of 2 working (needs 1)".
            `role ${cause.role} ${cause.working} of ${cause.installed} working (needs ${cause.quorum})`
          : `role ${cause.role} ${cause.working} of ${cause.quorum} working`;
    case "member":
      return `member ${lastName(cause.path)} ${cause.verdict}`;
    case "child":
      return `${lastName(cause.path)} ${cause.verdict}`;
  }
}
