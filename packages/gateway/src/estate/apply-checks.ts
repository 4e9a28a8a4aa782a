import { OmniglassError } from "@omniglass/domain";
import {
  bindingTarget,
  bodyOf,
  parentPath,
  type EstateModel,
  type EstatePlan,
  type PlannedChange,
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

/** Refuses what an apply cannot write yet, before anything is written. */
export function assertApplicable(plan: EstatePlan, desired: EstateModel): void {
  const unsupported = plan.changes.filter((c) => !APPLIED_KINDS.has(c.kind));
  if (unsupported.length > 0)
    throw new OmniglassError(
      "INVALID",
      `This release applies locations, systems, components, nodes, tags, plain variables, custom rules and maintenance windows; the plan changes ${unsupported.length} other object(s), first ${unsupported[0]!.address}.`,
      {
        fieldErrors: unsupported.slice(0, 20).map((c) => ({
          field: c.address,
          message: `${c.operation} of a ${c.kind} is not applied yet`,
        })),
      },
    );
  // A secret variable is a reference the server cannot resolve (`${env:…}` names the applying
  // user's environment, not the server's): refused, never stored as given (decision 0012).
  const secrets = plan.changes.filter(
    (c) =>
      c.kind === "variable" &&
      c.operation !== "delete" &&
      "secret" in ((desired.objects[c.address] as { spec?: object } | undefined)?.spec ?? {}),
  );
  if (secrets.length > 0)
    throw new OmniglassError(
      "INVALID",
      `Secret variables are not applied from files in this release (${secrets.length}, first ${secrets[0]!.address}): set them through the variables API (secret: true).`,
      {
        fieldErrors: secrets.slice(0, 20).map((c) => ({
          field: c.address,
          message: "a secret variable is set through the API, not applied from a reference",
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
