import { and, desc, eq } from "drizzle-orm";
import type { TemplateDocument } from "@omniglass/contracts";
import { OmniglassError } from "@omniglass/domain";
import type { Database, Transaction } from "../db";
import { UUID } from "../kit";
import { template } from "../schema";

export type TemplateRow = typeof template.$inferSelect & { document: TemplateDocument };

/**
 * A template version by id, `<name>@<version>`, or `<name>` (its latest version). Templates are a
 * platform-wide catalog readable with `template:read`: no location scope applies. Named in an
 * input `field`, a missing one is a 400 on that field; addressed by the path, a 404.
 */
export async function resolveTemplate(
  db: Database | Transaction,
  ref: string,
  { field }: { field?: string } = {},
): Promise<TemplateRow> {
  const at = ref.lastIndexOf("@");
  const version = at > 0 ? Number(ref.slice(at + 1)) : null;
  if (version !== null && !(Number.isInteger(version) && version >= 1))
    throw new OmniglassError("INVALID", `${ref}: the version after @ must be a whole number.`, {
      fieldErrors: [{ field: field ?? "ref", message: "expected <name>@<version>" }],
    });
  const name = at > 0 ? ref.slice(0, at) : ref;
  const [row] = await db
    .select()
    .from(template)
    .where(
      UUID.test(ref)
        ? eq(template.id, ref)
        : and(
            eq(template.name, name),
            version === null ? undefined : eq(template.version, version),
          ),
    )
    .orderBy(desc(template.version))
    .limit(1);
  if (!row && field)
    throw new OmniglassError("INVALID", `No template ${ref}.`, {
      fieldErrors: [{ field, message: "no such template" }],
    });
  if (!row) throw new OmniglassError("NOT_FOUND", `No template ${ref}.`);
  return row as TemplateRow;
}

export const templateRef = (row: { name: string; version: number }) => `${row.name}@${row.version}`;
