import { eq, inArray, sql } from "drizzle-orm";
import type { ActorGrant, PlacedTarget } from "@omniglass/domain";
import {
  bodyOf,
  parentPath,
  type EstateModel,
  type EstatePlan,
  type GrantSpec,
  type PlannedChange,
  type SystemSpec,
} from "@omniglass/estate";
import type { Database } from "../db";
import type { Check } from "../kit";
import { delegationChecks } from "../principals/grants";
import { component, location, role, system, systemMember } from "../schema";

/**
 * The API's delegation checks for every grant change, before anything is written: giving a
 * role needs `grant:create` on the scope and every permission of the role held on a scope
 * containing it (for a system scope, every member capability it carries on each member);
 * removing one needs `grant:delete` and the role's permissions there. A replace (a changed
 * operator) is a removal and a grant. Scopes are judged as they will be after the apply: a
 * system the apply creates has no id yet, so no system grant of the applier covers it.
 */
export async function grantChecks(
  db: Database,
  plan: EstatePlan,
  desired: EstateModel,
): Promise<Check[]> {
  const changes = plan.changes.filter((c) => c.kind === "grant");
  if (changes.length === 0) return [];
  const specs = changes.map((c) => ({ change: c, spec: grantSpecOf(c, desired) }));
  const roleNames = [...new Set(specs.map((s) => bodyOf(s.spec.role)))];
  const roles = new Map(
    (
      await db
        .select({ name: role.name, permissions: role.permissions })
        .from(role)
        .where(inArray(role.name, roleNames))
    ).map((r) => [r.name, r]),
  );
  const systemPaths = [
    ...new Set(
      specs.filter((s) => s.spec.scope.startsWith("system.")).map((s) => bodyOf(s.spec.scope)),
    ),
  ];
  const systems = new Map<string, { id: string; members: PlacedTarget[] }>();
  if (systemPaths.length > 0) {
    const found = await db
      .select({ id: system.id, path: system.path })
      .from(system)
      .where(inArray(system.path, systemPaths));
    for (const s of found) {
      const members = await db
        .select({
          locationPath: location.path,
          memberOf: sql<
            string[]
          >`array(select ${systemMember.systemId}::text from ${systemMember} where ${systemMember.componentId} = ${component.id})`,
        })
        .from(systemMember)
        .innerJoin(component, eq(component.id, systemMember.componentId))
        .innerJoin(location, eq(location.id, component.locationId))
        .where(eq(systemMember.systemId, s.id));
      systems.set(s.path, { id: s.id, members });
    }
  }
  const checks: Check[] = [];
  for (const { change, spec } of specs) {
    const roleRow = roles.get(bodyOf(spec.role)) ?? { name: bodyOf(spec.role), permissions: [] };
    const path = spec.scope === "all" ? null : bodyOf(spec.scope);
    const known = path ? systems.get(path) : undefined;
    const scope: ActorGrant["scope"] =
      spec.scope === "all"
        ? { kind: "all" }
        : spec.scope.startsWith("location.")
          ? { kind: "location", locationId: "", path: path!, operator: spec.operator ?? "subtree" }
          : {
              kind: "system",
              systemId: known?.id ?? "",
              path: path!,
              locationPath: parentPath(path!) ?? "",
            };
    // The members a system grant reaches after the apply: today's and the files' (placed).
    const declared = (desired.objects[`system.${path}`] as { spec?: SystemSpec } | undefined)?.spec;
    const members: PlacedTarget[] = [
      ...(known?.members ?? []),
      ...Object.keys(declared?.members ?? {}).map((m) => ({
        locationPath: parentPath(bodyOf(m)) ?? "",
        memberOf: [],
      })),
    ];
    if (change.operation === "delete" || change.operation === "replace") {
      const before =
        change.operation === "replace" ? { ...scope, ...beforeOperator(change) } : scope;
      checks.push(...delegationChecks("remove", roleRow, before as ActorGrant["scope"], []));
    }
    if (change.operation !== "delete")
      checks.push(
        ...delegationChecks("grant", roleRow, scope, scope.kind === "system" ? members : []),
      );
  }
  return checks;
}

/** The grant's spec: the files' (create, replace) or, for a delete, read back from the address and the plan's before values. */
function grantSpecOf(change: PlannedChange, desired: EstateModel): GrantSpec {
  const declared = (desired.objects[change.address] as { spec?: GrantSpec } | undefined)?.spec;
  if (declared) return declared;
  const before = (path: string) => change.fields.find((f) => f.path === path)?.before;
  const operator = before("operator");
  return {
    principal: String(before("principal")),
    role: String(before("role")),
    scope: String(before("scope")),
    ...(typeof operator === "string" ? { operator: operator as GrantSpec["operator"] } : {}),
  };
}

function beforeOperator(change: PlannedChange): { operator?: "subtree" | "descendants" | "self" } {
  const before = change.fields.find((f) => f.path === "operator")?.before;
  return typeof before === "string" ? { operator: before as "subtree" } : {};
}
