import {
  bindingKey,
  bindingTarget,
  bodyOf,
  type Address,
  type TagSpec,
  type VariableSpec,
} from "@omniglass/estate";
import { deleteBinding, setBinding } from "../bindings/bindings";
import { createRule } from "../rules/create-rule";
import { deleteRule } from "../rules/delete-rule";
import { updateRule } from "../rules/update-rule";
import {
  createMaintenanceWindow,
  deleteMaintenanceWindow,
  updateMaintenanceWindow,
} from "../suppress/write-window";
import { suppliedSecret } from "./apply-act";
import { specOf, specsOf, type ChangeArgs } from "./apply-model";

/** A rule's scope address as the rules API takes it. */
function ruleScope(scope: Address): {
  kind: "all" | "template" | "system-type" | "location" | "owner" | "system";
  ref: string | null;
} {
  if (scope === "all") return { kind: "all", ref: null };
  const body = bodyOf(scope);
  if (scope.startsWith("template.")) return { kind: "template", ref: body };
  if (scope.startsWith("system-type.")) return { kind: "system-type", ref: body };
  if (scope.startsWith("location.")) return { kind: "location", ref: body };
  if (scope.startsWith("component.")) return { kind: "owner", ref: body };
  return { kind: "system", ref: body };
}

/** A window's scope address as the maintenance API takes it. */
function windowScope(scope: Address): {
  kind: "location" | "system" | "template" | "owner";
  ref: string;
} {
  const body = bodyOf(scope);
  if (scope.startsWith("template.")) return { kind: "template", ref: body };
  if (scope.startsWith("location.")) return { kind: "location", ref: body };
  if (scope.startsWith("component.")) return { kind: "owner", ref: body };
  return { kind: "system", ref: body };
}

/** A custom rule through the rules API (a replace: a delete and a create). */
export async function writeRule(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, change, path } = a;
  const name = path;
  const { want, was } = specsOf<"rule">(a);
  if (change.operation === "delete" || change.operation === "replace")
    await deleteRule({ ...ctx, ref: name });
  if (change.operation === "delete") return;
  const fields = {
    severity: want!.severity,
    fire: want!.fire,
    sustainSeconds: want!.sustainSeconds,
    scope: ruleScope(want!.scope),
    enabled: want!.enabled,
    flapWindowSeconds: want!.flapWindowSeconds,
    flapThreshold: want!.flapThreshold,
  };
  if (change.operation === "update" && was) {
    await updateRule({
      ...ctx,
      input: {
        ref: name,
        ...fields,
        label: want!.label ?? null,
        description: want!.description ?? "",
        clear: want!.clear ?? null,
      },
    });
    return;
  }
  const made = await createRule({
    ...ctx,
    input: {
      name,
      ownerKind: want!.ownerKind,
      ...fields,
      ...(want!.label ? { label: want!.label } : {}),
      ...(want!.description ? { description: want!.description } : {}),
      ...(want!.clear ? { clear: want!.clear } : {}),
    },
  });
  return made.id;
}

/** A maintenance window through the maintenance API. */
export async function writeWindow(a: ChangeArgs): Promise<string | undefined> {
  const { ctx, path, op } = a;
  const want = specOf<"window">(a.desired, a.change.address);
  if (op === "delete") {
    await deleteMaintenanceWindow({ ...ctx, ref: path });
    return;
  }
  const fields = {
    scope: windowScope(want!.scope),
    dtstart: want!.dtstart,
    timeZone: want!.timeZone,
    duration: want!.duration,
    enabled: want!.enabled,
  };
  if (op === "update") {
    await updateMaintenanceWindow({
      ...ctx,
      input: {
        ref: path,
        ...fields,
        rrule: want!.rrule ?? null,
        label: want!.label ?? null,
        description: want!.description ?? "",
      },
    });
    return;
  }
  const made = await createMaintenanceWindow({
    ...ctx,
    input: {
      name: path,
      ...fields,
      ...(want!.rrule ? { rrule: want!.rrule } : {}),
      ...(want!.label ? { label: want!.label } : {}),
      ...(want!.description ? { description: want!.description } : {}),
    },
  });
  return made.id;
}

/** A tag or a plain variable through the bindings API (set or deleted). */
export async function writeBinding(
  a: ChangeArgs,
  kind: "tag" | "variable",
): Promise<string | undefined> {
  const { ctx, change, desired, op } = a;
  const target = bindingTarget(change.address);
  const key = bindingKey(change.address);
  if (op === "delete") {
    await deleteBinding({ ...ctx, kind, input: { target, key } });
    return;
  }
  const want = desired.objects[change.address] as { spec: TagSpec | VariableSpec };
  if ("secret" in want.spec) {
    // A secret variable: the value its `${env:NAME}` names, carried by the apply request,
    // sealed by the variables writer (its audit row says it was set, never the value).
    const made = await setBinding({
      ...ctx,
      kind: "variable",
      input: {
        target,
        key,
        value: suppliedSecret(a.secrets, change.address, want.spec.secret),
        secret: true,
      },
      secretKey: a.secrets.secretKey,
    });
    return made.id;
  }
  const value = want.spec.value;
  const made =
    kind === "tag"
      ? await setBinding({
          ...ctx,
          kind: "tag",
          input: { target, key, value: value as string },
        })
      : await setBinding({
          ...ctx,
          kind: "variable",
          input: { target, key, value: value as never },
        });
  return made.id;
}
