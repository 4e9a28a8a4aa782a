import type { Address } from "./address";
import { digestEstate, sha256 } from "./digest";
import { cmp, compareDiagnostics, type Diagnostic, type SourcePosition } from "./diagnostics";
import type { LoadedEstate } from "./load";
import { canonicalJson, isExisting, type EstateModel } from "./model";
import { Dependents } from "./plan-blast";
import { diffFields } from "./plan-diff";
import {
  DEFAULT_POLICY,
  RECOVERABLE_FIELDS,
  REPLACED_BY,
  VALUE_KINDS,
  change,
  compareChanges,
  matchesField,
} from "./plan-policy";
import { checkAgainstState } from "./plan-state";
import { summarize } from "./plan-summary";
import type { EstatePlan, PlanOptions, PlannedChange } from "./plan-types";
import { placementOf } from "./references";

/*
 * The plan: a deterministic diff of the desired model (the files) against the current model
 * (the database, built by the gateway), as an artifact that can be stored, reviewed, approved
 * and applied only while the state is still at its base revision. Nothing here reads a clock or
 * a database: the same inputs, in any order, give the same bytes and the same plan id.
 *
 * The reversibility of each change, the fields that force a replace, and what a plan does with
 * objects the files do not name are tabled in packages/estate/README.md.
 */

export * from "./plan-types";
export { diffFields } from "./plan-diff";
export { MAX_DEPENDENTS } from "./plan-blast";

const isLoaded = (value: EstateModel | LoadedEstate): value is LoadedEstate =>
  "model" in value && "files" in value;

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
