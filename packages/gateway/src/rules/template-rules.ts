import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { TemplateDocument } from "@omniglass/contracts";
import { compileExpression, OmniglassError, parseDuration } from "@omniglass/domain";
import type { Transaction } from "../db";
import { eventRule, template } from "../schema";
import { forgetRuleCache } from "./rule-cache";

/** The `origin: template` rows a template version's declared rules become. */
function rowsOf(templateId: string, document: TemplateDocument) {
  return (document.rules ?? []).map((r) => ({
    id: uuidv7(),
    name: r.name,
    description: r.description,
    severity: r.severity,
    fire: r.fire,
    clear: r.clear ?? null,
    sustainSeconds: r.for ? Math.round(parseDuration(r.for) / 1000) : 0,
    scopeKind: "template" as const,
    scopeTemplateId: templateId,
    origin: "template" as const,
    templateId,
  }));
}

/**
 * Checks a template's rules as a saved rule is checked: CEL that does not compile (or a field
 * named with a reserved word) is refused, naming the rule's field and the position.
 */
export function checkTemplateRules(document: TemplateDocument): void {
  (document.rules ?? []).forEach((rule, index) => {
    for (const field of ["fire", "clear"] as const) {
      const source = rule[field];
      if (source === undefined) continue;
      try {
        compileExpression(field, source);
      } catch (error) {
        if (!(error instanceof OmniglassError)) throw error;
        const path = `document.rules.${index}.${field}`;
        throw new OmniglassError("INVALID", `${path} (rule ${rule.name}): ${error.message}`, {
          fieldErrors: (error.fieldErrors ?? []).map((e) => ({ ...e, field: path })),
          cause: error,
        });
      }
    }
  });
}

/**
 * Materialises the rules of one template version just inserted, in the inserting transaction
 * (publishing a template at runtime makes its rules active at once for the components that will
 * pin it). "unsafe": the caller has checked the publisher's capability.
 */
export async function unsafeMaterialiseTemplateRules(
  tx: Transaction,
  { id, document }: { id: string; document: TemplateDocument },
): Promise<number> {
  checkTemplateRules(document);
  const rows = rowsOf(id, document);
  if (rows.length === 0) return 0;
  await tx.insert(eventRule).values(rows).onConflictDoNothing();
  forgetRuleCache();
  return rows.length;
}

/**
 * Materialises the rules every template version declares as `origin: template` rows, scoped to
 * the components pinned to that version, idempotently (a version is immutable, so an existing
 * row is left as it is). Runs with the registry seed at start (versions published before
 * publishing materialised them); "unsafe": no actor.
 */
export async function unsafeSyncTemplateRules(tx: Transaction): Promise<number> {
  const templates = await tx
    .select({ id: template.id, document: template.document })
    .from(template)
    .where(
      sql`not exists (select 1 from ${eventRule} r where r.template_id = ${template.id})
        and jsonb_array_length(coalesce(${template.document} -> 'rules', '[]'::jsonb)) > 0`,
    );
  const rows = templates.flatMap(({ id, document }) => rowsOf(id, document as TemplateDocument));
  if (rows.length === 0) return 0;
  await tx.insert(eventRule).values(rows).onConflictDoNothing();
  forgetRuleCache();
  return rows.length;
}
