import { and, eq } from "drizzle-orm";
import type { CreateRuleInput } from "@omniglass/contracts";
import { compileExpression, OmniglassError, type Actor } from "@omniglass/domain";
import type { Transaction } from "../db";
import { refCondition, UUID } from "../kit/refs";
import { resolveComponent } from "../components/resolve-component";
import { resolveLocation } from "../locations/resolve-location";
import { systemType, template } from "../schema";

/** Validates fire and clear with the CEL compiler: an error names the field and the position. */
export function validateExpressions(input: { fire?: string; clear?: string | null }) {
  if (input.fire !== undefined) compileExpression("fire", input.fire);
  if (input.clear) compileExpression("clear", input.clear);
}

const scopeError = (message: string) =>
  new OmniglassError("INVALID", message, { fieldErrors: [{ field: "scope.ref", message }] });

/** The scope columns of a rule from its `{ kind, ref }` (each ref resolved within read scope). */
export async function scopeColumns(tx: Transaction, actor: Actor, scope: CreateRuleInput["scope"]) {
  const none = {
    scopeKind: scope.kind,
    scopeTemplateId: null as string | null,
    scopeSystemTypeId: null as string | null,
    scopeLocationId: null as string | null,
    scopeComponentId: null as string | null,
  };
  const ref = scope.ref ?? null;
  if (scope.kind === "all") {
    if (ref) throw scopeError("scope all takes no ref");
    return none;
  }
  if (!ref) throw scopeError(`scope ${scope.kind} needs a ref`);
  switch (scope.kind) {
    case "template": {
      const [name, version] = ref.split("@");
      const [row] = await tx
        .select({ id: template.id })
        .from(template)
        .where(
          UUID.test(ref)
            ? eq(template.id, ref)
            : and(eq(template.name, name!), eq(template.version, Number(version ?? NaN))),
        );
      if (!row) throw scopeError(`no template ${ref} (write name@version)`);
      return { ...none, scopeTemplateId: row.id };
    }
    case "system-type": {
      const [row] = await tx
        .select({ id: systemType.id })
        .from(systemType)
        .where(refCondition(ref, systemType));
      if (!row) throw scopeError(`no system type ${ref}`);
      return { ...none, scopeSystemTypeId: row.id };
    }
    case "location":
      return { ...none, scopeLocationId: (await resolveLocation(tx, actor, ref)).id };
    case "owner":
      return { ...none, scopeComponentId: (await resolveComponent(tx, actor, ref)).row.id };
    case "system":
      throw scopeError(
        "scope system is for system rules (ownerKind system), set when the rule is created",
      );
  }
}

export const readOnly = (name: string, origin: string = "template") =>
  new OmniglassError(
    "FORBIDDEN",
    origin === "builtin"
      ? `${name} is a built-in rule and read-only: the product judges it itself. Write a rule of your own instead.`
      : `${name} is a template rule and read-only: its template version declares it. Write a rule of your own instead.`,
  );

/**
 * A PATCH of a template or built-in rule that sends more than `enabled`: refused (403) naming each
 * field and why; only switching the rule off or on is the operator's to change.
 */
export function readOnlyFields(name: string, origin: string, fields: string[]) {
  const kind = origin === "builtin" ? "built-in" : "template";
  const owner =
    origin === "builtin" ? "the product judges it itself" : "its template version declares it";
  const why = `read-only on a ${kind} rule (${owner}); only enabled may change`;
  return new OmniglassError(
    "FORBIDDEN",
    `${name} is a ${kind} rule and read-only but for enabled: ${fields.join(", ")} cannot change (${owner}). Write a rule of your own to judge differently.`,
    { fieldErrors: fields.map((field) => ({ field, message: why })) },
  );
}
