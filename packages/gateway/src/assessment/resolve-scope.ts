import { OmniglassError, type Actor } from "@omniglass/domain";
import { resolveComponent } from "../components/resolve-component";
import type { Database, Transaction } from "../db";
import { resolveLocation } from "../locations/resolve-location";
import { resolveSystem } from "../systems/resolve-system";

export interface AssessmentScope {
  kind: "location" | "system" | "component";
  id: string;
  path: string;
  ref: string;
}

const isCode = (error: unknown, code: string) =>
  error instanceof OmniglassError && error.code === code;

/**
 * The scope of an assessment: a location, system or component by id, dotted path or unique
 * name, each by its own resolver (its read scope: outside it, exactly as missing as one that does
 * not exist). One statement per kind, at most three. A reference that names things of two kinds
 * is ambiguous (400 on `scope`); none is 404 with the same words whatever was out of reach.
 */
export async function resolveAssessmentScope(
  db: Database | Transaction,
  actor: Actor,
  ref: string,
): Promise<AssessmentScope> {
  const found: AssessmentScope[] = [];
  const attempt = async (
    kind: AssessmentScope["kind"],
    find: () => Promise<{ id: string; path: string }>,
  ) => {
    try {
      const row = await find();
      found.push({ kind, id: row.id, path: row.path, ref });
    } catch (error) {
      if (isCode(error, "NOT_FOUND")) return;
      if (isCode(error, "INVALID"))
        throw new OmniglassError(
          "INVALID",
          `${ref} names more than one ${kind}; use its path or id.`,
          {
            fieldErrors: [{ field: "scope", message: "ambiguous name" }],
          },
        );
      throw error;
    }
  };
  await attempt("location", async () => resolveLocation(db, actor, ref));
  await attempt("system", async () => (await resolveSystem(db, actor, ref)).row);
  await attempt("component", async () => (await resolveComponent(db, actor, ref)).row);
  if (found.length === 0)
    throw new OmniglassError("NOT_FOUND", "No location, system or component matches that scope.", {
      fieldErrors: [{ field: "scope", message: "not found" }],
    });
  if (found.length > 1)
    throw new OmniglassError(
      "INVALID",
      `${ref} names a ${found.map((f) => f.kind).join(" and a ")}; use its path or id.`,
      { fieldErrors: [{ field: "scope", message: "ambiguous reference" }] },
    );
  return found[0]!;
}
