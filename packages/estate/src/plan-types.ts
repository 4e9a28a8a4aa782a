import type { Address } from "./address";
import type { Diagnostic } from "./diagnostics";
import type { Json, ObjectKind } from "./model";

/* The plan artifact: its changes, their blast radius and approvals, and the summary. */

export type Operation = "create" | "update" | "delete" | "replace";
export type Reversibility = "reversible" | "recoverable" | "irreversible";
/** Why a change may need an approval; the policy says which reasons require one. */
export type ApprovalReason = "irreversible" | "access";

export interface FieldChange {
  /** The model path (`roles.display.quorum`, `members["component.campus.hq.room-1.mic-1"]`). */
  path: string;
  /** Null: absent on that side. */
  before: Json | null;
  after: Json | null;
}

export interface BlastRadius {
  /** Counts the gateway adds from the database (open alarms, health verdicts affected). */
  alarms?: number;
  health?: number;
  /** Rules, maintenance windows and action rules among the dependents. */
  rules: number;
  /** Grants among the dependents. */
  grants: number;
  /**
   * Objects that refer to this one, in the state or in the files (a system to its members, a
   * binding to its target, a rule to its scope, a component to its location, …): directly for
   * a create or an update, and
   * transitively (everything that would dangle or be re-created) for a delete or a replace.
   * The first MAX_DEPENDENTS in address order.
   */
  dependents: Address[];
  dependentCount: number;
  /** A grant's change: who gains, loses or keeps with another reach the role on the scope. */
  access?: GrantAccess;
}

export interface GrantAccess {
  principal: Address;
  role: Address;
  /** `all`, `location.<path>` or `system.<path>`. */
  scope: Address;
  effect: "gains" | "loses" | "changes";
}

export interface PlannedChange {
  address: Address;
  kind: ObjectKind;
  operation: Operation;
  /** The location path it sits at (see placementOf); null: the platform. */
  location: string | null;
  fields: FieldChange[];
  reversibility: Reversibility;
  reason: string;
  /** The object exists but was not managed by the files: applying adopts it. */
  adopt?: true;
  blastRadius: BlastRadius;
  approvalsRequired: ApprovalReason[];
}

export interface OperationCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

export interface PlanSummary extends OperationCounts {
  changes: number;
  irreversible: number;
  recoverable: number;
  approvalsRequired: number;
  adopt: number;
  release: number;
  unmanaged: number;
  byKind: Partial<Record<ObjectKind, OperationCounts>>;
  /** By location path (null: the platform), in path order. */
  byLocation: ({ location: string | null } & OperationCounts)[];
}

export interface EstatePlan {
  format: 1;
  /** A hash of the desired digest, the base revision and everything the apply would do. */
  planId: string;
  desiredDigest: string;
  /** The state revision the plan was made against; an apply at any other revision is refused. */
  baseRevision: string;
  /** Who made the plan (an approval must come from someone else when the policy says so). */
  planner: string;
  /** False when a diagnostic is an error: such a plan is for reading, never for applying. */
  ok: boolean;
  /** Creates (in dependency order), then updates and replaces, then deletes (reverse order). */
  changes: PlannedChange[];
  /** Objects the files declare that exist identically but unmanaged: the apply adopts them. */
  adopt: Address[];
  /** Managed objects the files now declare `existing: true`: the apply stops managing them. */
  release: Address[];
  /** Objects in the state the files do not name and that are not managed: left as they are. */
  unmanaged: { count: number; addresses: Address[] };
  approvalsRequired: { reason: ApprovalReason; addresses: Address[] }[];
  diagnostics: Diagnostic[];
  summary: PlanSummary;
}

export interface PlanOptions {
  baseRevision: string;
  planner: string;
  /** Which approval reasons need a recorded approval (default: irreversible changes). */
  approvalPolicy?: readonly ApprovalReason[];
  /** When `desired` is a bare model: its digest (default: the digest of its canonical JSON). */
  desiredDigest?: string;
}
