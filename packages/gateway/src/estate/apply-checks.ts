import { OmniglassError } from "@omniglass/domain";
import {
  bindingTarget,
  bodyOf,
  parentPath,
  type EstateModel,
  type EstatePlan,
  type PlannedChange,
  type SecretRef,
  type SystemSpec,
  type WindowSpec,
} from "@omniglass/estate";
import type { Check } from "../kit";

/** Kinds an apply writes today; a plan changing any other kind is refused before anything. */
export const APPLIED_KINDS = new Set([
  "location",
  "system",
  "component",
  "node",
  "tag",
  "variable",
  "rule",
  "window",
  "endpoint",
  "action-rule",
  "grant",
]);

/** The capability resource of each applied kind (as its API writers check). */
const RESOURCE: Record<string, string> = {
  location: "location",
  system: "system",
  component: "component",
  node: "node",
  tag: "tag",
  variable: "variable",
  rule: "rule",
  window: "maintenance",
  endpoint: "action",
  "action-rule": "action",
  // Grants: the API's delegation checks, which read roles and systems (grantChecks).
  grant: "grant",
};

/** Tags and variables are set (`<kind>:update`, create or change) or deleted, as PUT/DELETE do. */
const BINDING_VERB: Record<PlannedChange["operation"], string> = {
  create: "update",
  update: "update",
  replace: "update",
  delete: "delete",
};

const VERB: Record<PlannedChange["operation"], string> = {
  create: "create",
  update: "update",
  replace: "update",
  delete: "delete",
};

/**
 * What the same change would need through the API, in that object's scope: the capability
 * `<resource>:<create|update|delete>` at the location it sits in (a location: its own path),
 * and for a system's members `component:update` where each member is placed. Checked for every
 * change before anything is written (403 naming the first refused).
 */
export function applyChecks(plan: EstatePlan, desired: EstateModel): Check[] {
  const checks: Check[] = [];
  for (const change of plan.changes) {
    const resource = RESOURCE[change.kind];
    if (!resource) continue;
    if (change.kind === "tag" || change.kind === "variable") {
      const capability = `${resource}:${BINDING_VERB[change.operation]}`;
      // The platform's bindings need the capability on scope all (as the bindings API).
      checks.push(
        bindingTarget(change.address) === "platform"
          ? { capability, everywhere: true }
          : {
              capability,
              location: change.location ?? "",
              action: `${change.operation === "delete" ? "delete" : "set"} ${change.kind}s on ${bindingTarget(change.address)} (${change.address})`,
            },
      );
      continue;
    }
    if (change.kind === "rule") {
      // Rules are a registry: rule:<verb> on scope all. A replace (owner kind changed) is a
      // delete and a create.
      const verbs =
        change.operation === "replace" ? ["delete", "create"] : [VERB[change.operation]];
      for (const verb of verbs) checks.push({ capability: `rule:${verb}`, registry: true });
      continue;
    }
    if (change.kind === "window") {
      // maintenance:write where the window is placed (a template scope: the platform's, scope
      // all). A delete or a move is also checked by the writer on the window's current scope
      // (inside the transaction: a refusal there rolls everything back).
      const scope = (desired.objects[change.address] as { spec?: WindowSpec } | undefined)?.spec
        ?.scope;
      if (scope === undefined)
        // A delete: where the plan placed the window from the state (null: a template scope).
        checks.push(
          change.location === null
            ? { capability: "maintenance:write", everywhere: true }
            : {
                capability: "maintenance:write",
                location: change.location,
                action: `delete maintenance windows (${change.address})`,
              },
        );
      else
        checks.push(
          scope.startsWith("template.")
            ? { capability: "maintenance:write", everywhere: true }
            : {
                capability: "maintenance:write",
                location: scope.startsWith("location.")
                  ? bodyOf(scope)
                  : (parentPath(bodyOf(scope)) ?? ""),
                action: `change maintenance windows (${change.address})`,
              },
        );
      continue;
    }
    if (change.kind === "grant") continue;
    if (change.kind === "endpoint" || change.kind === "action-rule") {
      // action:write where it is placed now and where the files place it (an endpoint's
      // location, an action rule's scope: a system's location; all and template: scope all).
      const field = change.kind === "endpoint" ? "location" : "scope";
      const want = (desired.objects[change.address] as { spec?: Record<string, unknown> })?.spec;
      const before = change.fields.find((f) => f.path === field);
      const places = new Set<string | null>();
      if (want) places.add(actPlace(want[field] as string | undefined));
      if (!want || (before && change.operation !== "create"))
        places.add(
          actPlace((before?.before as string | null) ?? (want?.[field] as string | undefined)),
        );
      for (const place of places)
        checks.push(
          place === null
            ? { capability: "action:write", everywhere: true }
            : {
                capability: "action:write",
                location: place,
                action: `${VERB[change.operation]} ${change.kind === "endpoint" ? "webhook endpoints" : "action rules"} (${change.address})`,
              },
        );
      continue;
    }
    const where = change.location ?? "";
    checks.push({
      capability: `${resource}:${VERB[change.operation]}`,
      location: where,
      action: `${VERB[change.operation]} ${change.kind}s (${change.address})`,
    });
    if (change.kind === "system") {
      const object = desired.objects[change.address];
      const members =
        object && "spec" in object ? Object.keys((object.spec as SystemSpec).members) : [];
      for (const member of members) {
        const placed = parentPath(bodyOf(member));
        if (placed !== null)
          checks.push({
            capability: "component:update",
            location: placed,
            action: `add members to ${change.address} (${member})`,
          });
      }
    }
  }
  return checks;
}

/** Where an endpoint's location or an action rule's scope places it (null: the platform). */
function actPlace(address: string | null | undefined): string | null {
  if (!address || address === "all" || address.startsWith("template.")) return null;
  if (address.startsWith("location.")) return bodyOf(address);
  return parentPath(bodyOf(address)) ?? "";
}

/** The secret references the plan's creates and updates need, by address (decision 0013). */
export function secretsNeeded(
  plan: EstatePlan,
  desired: EstateModel,
): { address: string; ref: SecretRef }[] {
  const needed: { address: string; ref: SecretRef }[] = [];
  for (const c of plan.changes) {
    if (c.operation === "delete" || (c.kind !== "variable" && c.kind !== "endpoint")) continue;
    const spec = (desired.objects[c.address] as { spec?: { secret?: SecretRef } } | undefined)
      ?.spec;
    if (!spec?.secret) continue;
    // An update that leaves the reference as it was sends no value (nothing to rotate).
    if (
      c.operation !== "create" &&
      !c.fields.some((f) => f.path === "secret" || f.path.startsWith("secret."))
    )
      continue;
    needed.push({ address: c.address, ref: spec.secret });
  }
  return needed;
}

/**
 * Refuses what an apply cannot write, before anything is written: labels and metadata (no
 * columns), a `{ secretRef }` (no named secret store: the server has nothing to resolve it
 * against), and a `${env:NAME}` the plan needs whose value the request does not carry (named,
 * never the value).
 */
export function assertApplicable(
  plan: EstatePlan,
  desired: EstateModel,
  supplied: ReadonlyMap<string, string>,
): void {
  const unsupported = plan.changes.filter((c) => !APPLIED_KINDS.has(c.kind));
  if (unsupported.length > 0)
    throw new OmniglassError(
      "INVALID",
      `This release does not apply ${unsupported[0]!.kind} changes (${unsupported.length}, first ${unsupported[0]!.address}).`,
      {
        fieldErrors: unsupported.slice(0, 20).map((c) => ({
          field: c.address,
          message: `${c.operation} of a ${c.kind} is not applied`,
        })),
      },
    );
  const needed = secretsNeeded(plan, desired);
  const named = needed.filter((n) => "secretRef" in n.ref);
  if (named.length > 0)
    throw new OmniglassError(
      "INVALID",
      `A { secretRef } is not resolved by applies (${named.length}, first ${named[0]!.address}): write \${env:NAME} and apply with that variable set.`,
      {
        fieldErrors: named.slice(0, 20).map((n) => ({
          field: `${n.address}.secret`,
          message: "secretRef is not resolved (no named secret store); use ${env:NAME}",
        })),
      },
    );
  const missing = needed.filter((n) => "env" in n.ref && !(supplied.get(n.ref.env) ?? "").length);
  if (missing.length > 0)
    throw new OmniglassError(
      "INVALID",
      `The plan sets ${missing.length} secret(s) from the environment of whoever applies; the request carries no value for ${[...new Set(missing.map((n) => (n.ref as { env: string }).env))].join(", ")}.`,
      {
        fieldErrors: missing.slice(0, 20).map((n) => ({
          field: `secrets.${(n.ref as { env: string }).env}`,
          message: `needed by ${n.address}`,
        })),
      },
    );
  const bucket = plan.changes.flatMap((c) =>
    c.fields
      .filter((f) => /^(labels|metadata)([.[]|$)/.test(f.path))
      .map((f) => ({
        field: `${c.address}.${f.path}`,
        message: "labels and metadata have no columns yet",
      })),
  );
  if (bucket.length > 0)
    throw new OmniglassError("INVALID", "labels and metadata are not stored yet.", {
      fieldErrors: bucket.slice(0, 20),
    });
}
