import { bodyOf, depthOf, type Address } from "./address";
import { cmp } from "./diagnostics";
import type { ObjectKind } from "./model";
import { blastRadius } from "./plan-blast";
import type {
  ApprovalReason,
  FieldChange,
  GrantAccess,
  Operation,
  PlannedChange,
  Reversibility,
} from "./plan-types";

/*
 * What a change is: the fields that force a replace, its reversibility, the approvals it needs
 * under a policy, and where it sorts in the apply order.
 */

export const DEFAULT_POLICY: readonly ApprovalReason[] = ["irreversible"];

/** Apply order of kinds: everything an object refers to comes earlier. */
const KIND_RANK: Record<ObjectKind, number> = {
  location: 0,
  node: 1,
  endpoint: 2,
  component: 3,
  system: 4,
  rule: 5,
  window: 6,
  "action-rule": 7,
  "silence-defaults": 8,
  tag: 9,
  variable: 10,
  grant: 11,
};

/** Fields that cannot change in place: changing one replaces the object (delete, then create). */
export const REPLACED_BY: Partial<Record<ObjectKind, readonly string[]>> = {
  rule: ["ownerKind"],
  endpoint: ["location"],
  grant: ["operator"],
};

/**
 * Fields whose change is recoverable rather than reversible: putting the old value back
 * restores the configuration, not what happened meanwhile (alarms opened or cleared, health
 * transitions, a gap in collection, receivers or devices that must follow a new secret).
 * Fields not listed are reversible. A prefix matches the field and everything below it.
 */
export const RECOVERABLE_FIELDS: Partial<Record<ObjectKind, readonly string[]>> = {
  component: ["template", "node", "interfaces", "address"],
  system: ["roles", "members"],
  rule: ["fire", "clear", "severity", "sustainSeconds", "scope", "enabled"],
  window: ["scope", "dtstart", "timeZone", "duration", "rrule", "enabled"],
  "action-rule": ["enabled", "scope", "matchers", "endpoints"],
  endpoint: ["url", "enabled", "secret"],
  variable: ["value", "secret"],
};

/** Kinds whose objects are values only: deleting one and declaring it again restores it exactly. */
export const VALUE_KINDS = new Set<ObjectKind>(["tag", "variable", "grant", "silence-defaults"]);

export const matchesField = (path: string, field: string) =>
  path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

/** How a change sorts: creates by rank and depth, then updates, then deletes in reverse. */
function orderKey(change: PlannedChange): [number, number, number] {
  const rank = KIND_RANK[change.kind];
  const pathKind =
    change.kind === "location" || change.kind === "system" || change.kind === "component";
  const depth = pathKind ? depthOf(bodyOf(change.address)) : 0;
  if (change.operation === "create") return [0, rank, depth];
  if (change.operation === "delete") return [2, -rank, -depth];
  return [1, rank, depth];
}

export function compareChanges(a: PlannedChange, b: PlannedChange): number {
  const ka = orderKey(a);
  const kb = orderKey(b);
  return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || cmp(a.address, b.address);
}

export function change(
  address: Address,
  kind: ObjectKind,
  operation: Operation,
  location: string | null,
  fields: FieldChange[],
  details: {
    reversibility: Reversibility;
    reason: string;
    all: Address[];
    policy: Set<ApprovalReason>;
    adopt?: true;
  },
): PlannedChange {
  const reasons: ApprovalReason[] = [];
  if (details.reversibility === "irreversible") reasons.push("irreversible");
  if (kind === "grant" && operation !== "update") reasons.push("access");
  return {
    address,
    kind,
    operation,
    location,
    fields,
    reversibility: details.reversibility,
    reason: details.reason,
    ...(details.adopt ? { adopt: true as const } : {}),
    blastRadius: {
      ...blastRadius(details.all),
      ...(kind === "grant" ? { access: accessOf(address, operation) } : {}),
    },
    approvalsRequired: reasons.filter((reason) => details.policy.has(reason)).sort(cmp),
  };
}

/**
 * Whose access a grant change changes (`grant.<principal>.<role>.<scope>`: names hold no dots):
 * a delete — the principal loses the role there; a create — gains it; a replace (its operator)
 * — keeps the role with a different reach; an update changes nothing a grant holds.
 */
function accessOf(address: Address, operation: Operation): GrantAccess {
  const [principal, role, ...scope] = bodyOf(address).split(".");
  return {
    principal: `principal.${principal}`,
    role: `role.${role}`,
    scope: scope.join("."),
    effect: operation === "delete" ? "loses" : operation === "create" ? "gains" : "changes",
  };
}
