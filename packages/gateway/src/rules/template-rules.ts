import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { TemplateDocument } from "@omniglass/contracts";
import { parseDuration } from "@omniglass/domain";
import type { Transaction } from "../db";
import { eventRule, template } from "../schema";
import { forgetRuleCache } from "./rule-cache";

/**
 * Materialises the rules every template version declares as `origin: template` rows, scoped to
 * the components pinned to that version, idempotently (a version is immutable, so an existing
 * row is left as it is). Runs with the registry seed at start; "unsafe": no actor.
 */
export async function unsafeSyncTemplateRules(tx: Transaction): Promise<number> {
  const templates = await tx
    .select({ id: template.id, document: template.document })
    .from(template)
    .where(
      sql`not exists (select 1 from ${eventRule} r where r.template_id = ${template.id})
        and jsonb_array_length(coalesce(${template.document} -> 'rules', '[]'::jsonb)) > 0`,
    );
  const rows = templates.flatMap(({ id, document }) =>
    ((document as TemplateDocument).rules ?? []).map((r) => ({
      id: uuidv7(),
      name: r.name,
      description: r.description,
      severity: r.severity,
      fire: r.fire,
      clear: r.clear ?? null,
      sustainSeconds: r.for ? Math.round(parseDuration(r.for) / 1000) : 0,
      scopeKind: "template" as const,
      scopeTemplateId: id,
      origin: "template" as const,
      templateId: id,
    })),
  );
  if (rows.length === 0) return 0;
  await tx.insert(eventRule).values(rows).onConflictDoNothing();
  forgetRuleCache();
  return rows.length;
}
