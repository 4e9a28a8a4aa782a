import { cmp, formatDiagnostic } from "./diagnostics";
import type { EstatePlan, OperationCounts, PlannedChange } from "./plan";

/*
 * The human summary of a plan: totals, approvals, changes grouped by location (at the deepest
 * level of the tree that still fits on a screen), then the changes themselves — all of them
 * when there are few, otherwise the ones that need attention. Readable at 10,000 changes.
 */

export interface RenderOptions {
  /** At most this many location groups (default 20); the rest are counted in one line. */
  maxGroups?: number;
  /** List every change when there are at most this many (default 50). */
  maxChanges?: number;
  /** Field lines per change (default 8). */
  maxFields?: number;
}

const SIGN: Record<PlannedChange["operation"], string> = {
  create: "+",
  update: "~",
  replace: "±",
  delete: "-",
};

const PLATFORM = "(platform)";

/** 10000 → "10,000", the same in every locale. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function counts(c: OperationCounts): string {
  const parts = (["create", "update", "replace", "delete"] as const)
    .filter((op) => c[op] > 0)
    .map((op) => `${SIGN[op]}${formatCount(c[op])}`);
  return parts.length > 0 ? parts.join(" ") : "no changes";
}

function value(v: unknown): string {
  if (v === null) return "(none)";
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

interface Group extends OperationCounts {
  location: string;
  total: number;
}

/** Groups at the deepest level of the location tree with at most `max` groups (at least level 1). */
function groupsOf(plan: EstatePlan, max: number): { level: number; groups: Group[] } {
  const rows = plan.summary.byLocation;
  const deepest = Math.max(
    1,
    ...rows.map((r) => (r.location === null ? 1 : r.location.split(".").length)),
  );
  const at = (level: number) => {
    const groups = new Map<string, Group>();
    for (const row of rows) {
      const key =
        row.location === null ? PLATFORM : row.location.split(".").slice(0, level).join(".");
      const group = groups.get(key) ?? {
        location: key,
        create: 0,
        update: 0,
        replace: 0,
        delete: 0,
        total: 0,
      };
      for (const op of ["create", "update", "replace", "delete"] as const) group[op] += row[op];
      group.total = group.create + group.update + group.replace + group.delete;
      groups.set(key, group);
    }
    return [...groups.values()];
  };
  // The deepest level that fits; but one group says nothing, so then one level deeper, cut.
  let level = 1;
  for (let l = deepest; l >= 1; l--) {
    if (at(l).length <= max) {
      level = l;
      break;
    }
  }
  const groups = at(level);
  if (groups.length > 1 || level === deepest) {
    return { level, groups: groups.sort((a, b) => cmp(a.location, b.location)) };
  }
  return {
    level: level + 1,
    groups: at(level + 1).sort((a, b) => b.total - a.total || cmp(a.location, b.location)),
  };
}

function describeChange(change: PlannedChange, maxFields: number): string[] {
  const flags: string[] = [];
  if (change.reversibility !== "reversible")
    flags.push(change.reversibility === "irreversible" ? "IRREVERSIBLE" : "recoverable");
  if (change.adopt) flags.push("adopts an unmanaged object");
  if (change.approvalsRequired.length > 0)
    flags.push(`needs approval: ${change.approvalsRequired.join(", ")}`);
  const lines = [
    `  ${SIGN[change.operation]} ${change.address}${flags.length ? `  [${flags.join("; ")}]` : ""}`,
  ];
  if (change.operation !== "create") lines.push(`      ${change.reason}`);
  if (change.operation === "update" || change.operation === "replace") {
    for (const field of change.fields.slice(0, maxFields)) {
      lines.push(`      ${field.path}: ${value(field.before)} → ${value(field.after)}`);
    }
    if (change.fields.length > maxFields)
      lines.push(`      … and ${formatCount(change.fields.length - maxFields)} more fields`);
  }
  const radius = change.blastRadius;
  if (
    (change.operation === "delete" || change.operation === "replace") &&
    radius.dependentCount > 0
  ) {
    const shown = radius.dependents.slice(0, 5).join(", ");
    const more =
      radius.dependentCount > 5 ? ` and ${formatCount(radius.dependentCount - 5)} more` : "";
    lines.push(`      affects ${formatCount(radius.dependentCount)}: ${shown}${more}`);
  }
  return lines;
}

/** The plan as text for a terminal, a review comment or the console. */
export function renderPlan(plan: EstatePlan, options: RenderOptions = {}): string {
  const maxGroups = options.maxGroups ?? 20;
  const maxChanges = options.maxChanges ?? 50;
  const maxFields = options.maxFields ?? 8;
  const s = plan.summary;
  const out: string[] = [];
  out.push(
    `Plan ${plan.planId.slice(0, 12)} against state revision ${plan.baseRevision}, planned by ${plan.planner}`,
  );
  out.push(`Desired ${plan.desiredDigest}`);
  if (!plan.ok) out.push("NOT APPLICABLE: the diagnostics below include errors.");
  out.push("");
  if (s.changes === 0) {
    out.push("No changes.");
  } else {
    out.push(`${formatCount(s.changes)} changes: ${counts(s)}`);
    out.push(
      `  ${formatCount(s.irreversible)} irreversible, ${formatCount(s.recoverable)} recoverable, ${formatCount(s.changes - s.irreversible - s.recoverable)} reversible`,
    );
  }
  for (const group of plan.approvalsRequired) {
    out.push(
      `Approval required (${group.reason}) for ${formatCount(group.addresses.length)} change${group.addresses.length === 1 ? "" : "s"}, by someone other than ${plan.planner}.`,
    );
  }
  if (s.adopt > 0)
    out.push(
      `Adopts ${formatCount(s.adopt)} unmanaged object${s.adopt === 1 ? "" : "s"} the files declare as they are.`,
    );
  if (s.release > 0)
    out.push(
      `Releases ${formatCount(s.release)} object${s.release === 1 ? "" : "s"} from management (declared existing: true).`,
    );
  if (s.unmanaged > 0)
    out.push(
      `Leaves ${formatCount(s.unmanaged)} unmanaged object${s.unmanaged === 1 ? "" : "s"} the files do not name as they are.`,
    );

  if (s.changes > 0) {
    const { level, groups } = groupsOf(plan, maxGroups);
    out.push("");
    out.push(`By location${level > 1 ? ` (level ${level})` : ""}:`);
    const shown = groups.slice(0, maxGroups);
    const width = Math.min(60, Math.max(...shown.map((g) => g.location.length)));
    for (const group of shown) out.push(`  ${group.location.padEnd(width)}  ${counts(group)}`);
    const rest = groups.slice(maxGroups);
    if (rest.length > 0) {
      const sum: OperationCounts = { create: 0, update: 0, replace: 0, delete: 0 };
      for (const g of rest)
        for (const op of ["create", "update", "replace", "delete"] as const) sum[op] += g[op];
      out.push(`  … and ${formatCount(rest.length)} more locations: ${counts(sum)}`);
    }
    out.push("");
    out.push("By kind:");
    for (const [kind, c] of Object.entries(s.byKind))
      out.push(`  ${kind.padEnd(16)}  ${counts(c)}`);

    const attention = plan.changes.filter(
      (c) =>
        c.reversibility === "irreversible" ||
        c.approvalsRequired.length > 0 ||
        c.operation === "replace",
    );
    const listed = s.changes <= maxChanges ? plan.changes : attention.slice(0, maxChanges);
    out.push("");
    if (s.changes <= maxChanges) out.push("Changes (in apply order):");
    else if (attention.length === 0)
      out.push(
        `None of the ${formatCount(s.changes)} changes is irreversible, replaces an object or needs an approval; the plan's JSON lists them all.`,
      );
    else
      out.push(
        `Changes needing attention (${formatCount(attention.length)} of ${formatCount(s.changes)}; the plan's JSON lists all):`,
      );
    for (const c of listed) out.push(...describeChange(c, maxFields));
    if (s.changes > maxChanges && attention.length > listed.length) {
      out.push(`  … and ${formatCount(attention.length - listed.length)} more needing attention`);
    }
  }
  if (plan.diagnostics.length > 0) {
    out.push("");
    out.push("Diagnostics:");
    for (const d of plan.diagnostics.slice(0, 50)) out.push(`  ${formatDiagnostic(d)}`);
    if (plan.diagnostics.length > 50)
      out.push(`  … and ${formatCount(plan.diagnostics.length - 50)} more`);
  }
  return `${out.join("\n")}\n`;
}
