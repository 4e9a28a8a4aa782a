import type { ApiOutputs } from "~/client/outputs";

/**
 * Estate plans as the console shows them (issue #15): the plan resource, the parts of the plan
 * artifact (format 1 of @omniglass/estate, documented in its README) the pages read, and how a
 * refused apply is explained.
 */

export type PlanResource = ApiOutputs["estate"]["plans"]["items"][number];
export type PlanDetail = ApiOutputs["estate"]["getPlan"];
export type ApplyResult = ApiOutputs["estate"]["applyPlan"];

export type Operation = "create" | "update" | "replace" | "delete";
export type Reversibility = "reversible" | "recoverable" | "irreversible";

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface PlannedChange {
  address: string;
  kind: string;
  operation: Operation;
  location: string | null;
  fields: FieldChange[];
  reversibility: Reversibility;
  reason: string;
  adopt?: true;
  blastRadius: {
    alarms?: number;
    health?: number;
    rules: number;
    grants: number;
    dependents: string[];
    dependentCount: number;
  };
  approvalsRequired: string[];
}

export interface PlanDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: "error" | "warning";
  path: string;
  message: string;
  hint?: string;
}

export interface PlanArtifact {
  planId: string;
  baseRevision: string;
  changes: PlannedChange[];
  adopt: string[];
  release: string[];
  unmanaged: { count: number; addresses: string[] };
  approvalsRequired: { reason: string; addresses: string[] }[];
  diagnostics: PlanDiagnostic[];
  summary: {
    irreversible: number;
    recoverable: number;
    byLocation: ({ location: string | null } & Record<Operation, number>)[];
  };
}

/** The artifact of a plan detail (the API types it as a JSON record). */
export const artifactOf = (plan: PlanDetail) => plan.plan as unknown as PlanArtifact;

export const planHref = (id: string) => `/estate-plans/${encodeURIComponent(id)}`;
export const shortId = (id: string) => id.slice(0, 12);

export const SIGN: Record<Operation, string> = {
  create: "+",
  update: "~",
  replace: "±",
  delete: "-",
};

/**
 * The counts by operation as the server's summary states them (`+40 ~2 -1`, its own line
 * "N changes: …"), or "no changes".
 */
export function countsLine(plan: Pick<PlanResource, "summary" | "changes">): string {
  if (plan.changes === 0) return "no changes";
  const line = /^[\d,]+ changes?: (.+)$/m.exec(plan.summary);
  return line?.[1] ?? `${plan.changes} changes`;
}

/** Approvals as "1 of 1" (or "not needed"). */
export function approvalsText(plan: Pick<PlanResource, "approvals" | "approvalsRequired">) {
  if (plan.approvalsRequired === 0) return "not needed";
  return plan.approvals.length > 0
    ? `approved by ${plan.approvals.map((a) => a.approver).join(", ")}`
    : "awaiting approval";
}

/** Whether a plan in this status may still be approved or applied. */
export const isOpen = (status: PlanResource["status"]) =>
  status === "pending" || status === "approved";

/** Changes grouped by the location they sit at (null: the platform), in plan order. */
export function byLocation(changes: readonly PlannedChange[]) {
  const groups = new Map<string | null, PlannedChange[]>();
  for (const change of changes) {
    const list = groups.get(change.location) ?? [];
    list.push(change);
    groups.set(change.location, list);
  }
  return [...groups].sort(([a], [b]) =>
    a === null ? -1 : b === null ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
}

/** A value of a field change, short: `(none)` when absent. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

export interface Refusal {
  kind: "stale" | "locked" | "approval" | "forbidden" | "other";
  title: string;
  detail: string;
  items: { field: string; message: string }[];
}

/** Why an apply (or an approval) was refused, from the server's problem details. */
export function refusalOf(error: unknown): Refusal | null {
  if (!error) return null;
  const e = error as {
    message?: string;
    data?: { code?: string; fieldErrors?: { field: string; message: string }[] };
  };
  const code = e.data?.code ?? "";
  const items = e.data?.fieldErrors ?? [];
  const detail = e.message ?? "refused";
  if (code === "STALE_PLAN")
    return {
      kind: "stale",
      title: "Refused: the estate changed since this plan was made",
      detail,
      items,
    };
  if (items.some((f) => f.field === "lock"))
    return { kind: "locked", title: "Refused: the estate is locked", detail, items };
  if (/approv/i.test(detail))
    return { kind: "approval", title: "Refused: an approval is needed", detail, items };
  if (code === "FORBIDDEN")
    return { kind: "forbidden", title: "Refused: not allowed", detail, items };
  return { kind: "other", title: "Refused", detail, items };
}
