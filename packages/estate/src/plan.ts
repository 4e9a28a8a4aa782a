import { bodyOf, depthOf, kindOf, type Address } from "./address";
import { digestEstate, sha256 } from "./digest";
import {
  cmp,
  compareDiagnostics,
  formatPath,
  type Diagnostic,
  type SourcePosition,
} from "./diagnostics";
import type { LoadedEstate } from "./load";
import {
  canonicalJson,
  isExisting,
  sortKeys,
  type EstateModel,
  type EstateObject,
  type Json,
  type ObjectKind,
} from "./model";
import { placementOf, referencesOf } from "./references";

/*
 * The plan: a deterministic diff of the desired model (the files) against the current model
 * (the database, built by the gateway), as an artifact that can be stored, reviewed, approved
 * and applied only while the state is still at its base revision. Nothing here reads a clock or
 * a database: the same inputs, in any order, give the same bytes and the same plan id.
 *
 * The reversibility of each change, the fields that force a replace, and what a plan does with
 * objects the files do not name are tabled in packages/estate/README.md.
 */

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

export const MAX_DEPENDENTS = 100;
const DEFAULT_POLICY: readonly ApprovalReason[] = ["irreversible"];

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
const REPLACED_BY: Partial<Record<ObjectKind, readonly string[]>> = {
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
const RECOVERABLE_FIELDS: Partial<Record<ObjectKind, readonly string[]>> = {
  component: ["template", "node", "interfaces", "address"],
  system: ["roles", "members"],
  rule: ["fire", "clear", "severity", "sustainSeconds", "scope", "enabled"],
  window: ["scope", "dtstart", "timeZone", "duration", "rrule", "enabled"],
  "action-rule": ["enabled", "scope", "matchers", "endpoints"],
  endpoint: ["url", "enabled", "secret"],
  variable: ["value", "secret"],
};

/** Kinds whose objects are values only: deleting one and declaring it again restores it exactly. */
const VALUE_KINDS = new Set<ObjectKind>(["tag", "variable", "grant", "silence-defaults"]);

const matchesField = (path: string, field: string) =>
  path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);

// --- field diff ------------------------------------------------------------------------------

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Differences of two specs, in path order (objects present on both sides recurse; arrays compare whole). */
export function diffFields(
  before: unknown,
  after: unknown,
  path: (string | number)[] = [],
): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    // The common case at scale (a plan of unchanged files): identical JSON has no difference.
    if (path.length === 0 && JSON.stringify(before) === JSON.stringify(after)) return [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(cmp);
    return keys.flatMap((key) => diffFields(before[key], after[key], [...path, key]));
  }
  // A whole spec created or deleted lists its fields; below that, an entry added or removed
  // (a role, a member, an interface) is one field with the entry as its value.
  if (path.length === 0 && isPlainObject(before) && after === undefined)
    return diffFields(before, {}, path);
  if (path.length === 0 && before === undefined && isPlainObject(after))
    return diffFields({}, after, path);
  // An empty record says nothing more than an absent one.
  const empty = (value: unknown) =>
    value === undefined || (isPlainObject(value) && Object.keys(value).length === 0);
  if (empty(before) && empty(after)) return [];
  if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) return [];
  return [
    {
      path: formatPath(path),
      before: before === undefined ? null : (sortKeys(before) as Json),
      after: after === undefined ? null : (sortKeys(after) as Json),
    },
  ];
}

// --- dependents ------------------------------------------------------------------------------

class Dependents {
  private readonly referrers = new Map<Address, Address[]>();

  constructor(objects: Iterable<[Address, EstateObject]>) {
    for (const [from, object] of objects) {
      for (const { to } of referencesOf(from, object)) {
        const list = this.referrers.get(to);
        if (list) list.push(from);
        else this.referrers.set(to, [from]);
      }
    }
    for (const [to, list] of this.referrers) this.referrers.set(to, [...new Set(list)].sort(cmp));
  }

  direct(address: Address): Address[] {
    return this.referrers.get(address) ?? [];
  }

  transitive(address: Address): Address[] {
    const seen = new Set<Address>([address]);
    const queue = [address];
    while (queue.length > 0) {
      for (const from of this.referrers.get(queue.pop()!) ?? []) {
        if (!seen.has(from)) {
          seen.add(from);
          queue.push(from);
        }
      }
    }
    seen.delete(address);
    return [...seen].sort(cmp);
  }
}

function blastRadius(all: Address[]): BlastRadius {
  const count = (kinds: string[]) => all.filter((a) => kinds.includes(kindOf(a) ?? "")).length;
  return {
    rules: count(["rule", "window", "action-rule"]),
    grants: count(["grant"]),
    dependents: all.slice(0, MAX_DEPENDENTS),
    dependentCount: all.length,
  };
}

// --- the plan ----------------------------------------------------------------------------------

const isLoaded = (value: EstateModel | LoadedEstate): value is LoadedEstate =>
  "model" in value && "files" in value;

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

function compareChanges(a: PlannedChange, b: PlannedChange): number {
  const ka = orderKey(a);
  const kb = orderKey(b);
  return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2] || cmp(a.address, b.address);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Plans `desired` (the loaded files, or a bare model) against `current` (the state, with each
 * object's `state.managed` and `state.hasHistory`, and the registries — templates, roles,
 * principals, system types — as `existing` objects). A desired model with error diagnostics
 * gives a plan without changes (a partial model must not plan deletes).
 */
export function planEstate(
  desired: EstateModel | LoadedEstate,
  current: EstateModel,
  options: PlanOptions,
): EstatePlan {
  const model = isLoaded(desired) ? desired.model : desired;
  const sources: Record<Address, SourcePosition> = isLoaded(desired) ? desired.sources : {};
  const loadDiagnostics = isLoaded(desired) ? desired.diagnostics : [];
  const desiredDigest = isLoaded(desired)
    ? digestEstate(desired.files)
    : (options.desiredDigest ?? sha256(canonicalJson(model)));
  const policy = new Set(options.approvalPolicy ?? DEFAULT_POLICY);
  const diagnostics: Diagnostic[] = [...loadDiagnostics];
  const changes: PlannedChange[] = [];
  const adopt: Address[] = [];
  const release: Address[] = [];
  const unmanaged: Address[] = [];

  const wanted = model.objects;
  const have = current.objects;
  const plannable = !loadDiagnostics.some((d) => d.severity === "error");

  if (plannable) {
    checkAgainstState(wanted, have, sources, diagnostics);
    // References in either model: a deleted object's dependents are what refers to it now.
    // Built on the first change that needs it: a plan without changes never walks references.
    let built: Dependents | undefined;
    const dependents = {
      of: () => (built ??= new Dependents([...Object.entries(have), ...Object.entries(wanted)])),
      direct: (address: Address) => dependents.of().direct(address),
      transitive: (address: Address) => dependents.of().transitive(address),
    };
    const addresses = [...new Set([...Object.keys(wanted), ...Object.keys(have)])].sort(cmp);

    for (const address of addresses) {
      const want = wanted[address];
      const was = have[address];
      const managed = was?.state?.managed ?? false;
      const hasHistory = was?.state?.hasHistory ?? false;

      if (want === undefined) {
        if (was === undefined || isExisting(was)) continue;
        if (!managed) {
          unmanaged.push(address);
          continue;
        }
        const all = dependents.transitive(address);
        changes.push(
          change(
            address,
            was.kind,
            "delete",
            placementOf(address, was),
            diffFields(was.spec, undefined),
            {
              reversibility: hasHistory
                ? "irreversible"
                : VALUE_KINDS.has(was.kind)
                  ? "reversible"
                  : "recoverable",
              reason: `managed by the files and no longer declared in them${hasHistory ? "; its recorded history (samples, alarms, health, deliveries) is lost" : ""}`,
              all,
              policy,
            },
          ),
        );
        continue;
      }
      if (isExisting(want)) {
        if (was !== undefined && managed && !isExisting(was)) release.push(address);
        continue;
      }
      if (was === undefined || isExisting(was)) {
        changes.push(
          change(
            address,
            want.kind,
            "create",
            placementOf(address, want),
            diffFields(undefined, want.spec),
            {
              reversibility: "reversible",
              reason: "declared in the files, absent from the state",
              all: dependents.direct(address),
              policy,
            },
          ),
        );
        continue;
      }
      const fields = diffFields(was.spec, want.spec);
      if (fields.length === 0) {
        if (!managed) adopt.push(address);
        continue;
      }
      const replacedBy = (REPLACED_BY[want.kind] ?? []).filter((field) =>
        fields.some((f) => matchesField(f.path, field)),
      );
      if (replacedBy.length > 0) {
        changes.push(
          change(address, want.kind, "replace", placementOf(address, want), fields, {
            reversibility: hasHistory
              ? "irreversible"
              : VALUE_KINDS.has(want.kind)
                ? "reversible"
                : "recoverable",
            reason: `${replacedBy.map((f) => `\`${f}\``).join(", ")} cannot change in place: deleted and created again${hasHistory ? "; its recorded history is lost" : ""}`,
            all: dependents.transitive(address),
            policy,
            ...(managed ? {} : { adopt: true as const }),
          }),
        );
        continue;
      }
      const recoverable = RECOVERABLE_FIELDS[want.kind] ?? [];
      const reversibility = fields.some((f) =>
        recoverable.some((field) => matchesField(f.path, field)),
      )
        ? "recoverable"
        : "reversible";
      changes.push(
        change(address, want.kind, "update", placementOf(address, want), fields, {
          reversibility,
          reason: managed
            ? `differs from the state in ${plural(fields.length, "field")}`
            : `exists but is not managed by the files: the apply adopts it and changes ${plural(fields.length, "field")}`,
          all: dependents.direct(address),
          policy,
          ...(managed ? {} : { adopt: true as const }),
        }),
      );
    }
  }

  changes.sort(compareChanges);
  diagnostics.sort(compareDiagnostics);
  const approvals = [...policy]
    .sort(cmp)
    .map((reason) => ({
      reason,
      addresses: changes
        .filter((c) => c.approvalsRequired.includes(reason))
        .map((c) => c.address)
        .sort(cmp),
    }))
    .filter((group) => group.addresses.length > 0);
  const planId = sha256(
    canonicalJson({ desiredDigest, baseRevision: options.baseRevision, changes, adopt, release }),
  ).slice("sha256:".length);
  return {
    format: 1,
    planId,
    desiredDigest,
    baseRevision: options.baseRevision,
    planner: options.planner,
    ok: !diagnostics.some((d) => d.severity === "error"),
    changes,
    adopt,
    release,
    unmanaged: { count: unmanaged.length, addresses: unmanaged },
    approvalsRequired: approvals,
    diagnostics,
    summary: summarize(changes, adopt.length, release.length, unmanaged.length),
  };
}

function change(
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
    blastRadius: blastRadius(details.all),
    approvalsRequired: reasons.filter((reason) => details.policy.has(reason)).sort(cmp),
  };
}

/**
 * References the files make that only the state can resolve: registry rows (a template pin, a
 * role, a principal, a system type) and objects declared `existing: true`.
 */
function checkAgainstState(
  wanted: Record<Address, EstateObject>,
  have: Record<Address, EstateObject>,
  sources: Record<Address, SourcePosition>,
  diagnostics: Diagnostic[],
) {
  const templateNames = new Set(
    Object.keys(have)
      .filter((a) => kindOf(a) === "template")
      .map((a) => bodyOf(a).split("@")[0]!),
  );
  const at = (address: Address): SourcePosition =>
    sources[address] ?? { file: "", line: 0, column: 0 };
  const report = (address: Address, field: string, message: string, hint: string) => {
    const position = at(address);
    diagnostics.push({
      code: "dangling-reference",
      severity: "error",
      ...position,
      path: field ? `${address}.${field}` : address,
      message,
      hint,
    });
  };
  for (const address of Object.keys(wanted).sort(cmp)) {
    const object = wanted[address]!;
    if (isExisting(object)) {
      if (have[address] === undefined) {
        report(
          address,
          "",
          `\`${address}\` is declared \`existing: true\` but the state has no such object`,
          "create it first, or declare it fully so the plan creates it",
        );
      }
      continue;
    }
    for (const reference of referencesOf(address, object)) {
      const kind = kindOf(reference.to);
      if (kind !== "template" && kind !== "role" && kind !== "principal" && kind !== "system-type")
        continue;
      const known =
        kind === "template" && !reference.to.includes("@")
          ? templateNames.has(bodyOf(reference.to))
          : have[reference.to] !== undefined;
      if (!known) {
        report(
          address,
          reference.field,
          `refers to \`${reference.to}\`, which the state does not have`,
          kind === "template"
            ? "publish the template version first, or pin one that exists"
            : `the ${kind} must exist before the plan can apply`,
        );
      }
    }
  }
}

function summarize(
  changes: PlannedChange[],
  adopt: number,
  release: number,
  unmanaged: number,
): PlanSummary {
  const zero = (): OperationCounts => ({ create: 0, update: 0, replace: 0, delete: 0 });
  const total = zero();
  const byKind: Partial<Record<ObjectKind, OperationCounts>> = {};
  const byLocation = new Map<string | null, OperationCounts>();
  let irreversible = 0;
  let recoverable = 0;
  let approvals = 0;
  for (const c of changes) {
    total[c.operation]++;
    (byKind[c.kind] ??= zero())[c.operation]++;
    if (!byLocation.has(c.location)) byLocation.set(c.location, zero());
    byLocation.get(c.location)![c.operation]++;
    if (c.reversibility === "irreversible") irreversible++;
    if (c.reversibility === "recoverable") recoverable++;
    if (c.approvalsRequired.length > 0) approvals++;
  }
  return {
    changes: changes.length,
    ...total,
    irreversible,
    recoverable,
    approvalsRequired: approvals,
    adopt,
    release,
    unmanaged,
    byKind: sortKeys(byKind),
    byLocation: [...byLocation.entries()]
      .sort(([a], [b]) => (a === null ? -1 : b === null ? 1 : cmp(a, b)))
      .map(([location, counts]) => ({ location, ...counts })),
  };
}
