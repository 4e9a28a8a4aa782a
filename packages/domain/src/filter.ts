import { OmniglassError } from "./errors";

/**
 * Parses a list's `filter`: space-separated `field=value` terms that must all hold (an AIP-160
 * subset: equality, conjunction). Unknown fields, repeated fields and malformed terms are a 400
 * naming `filter` and saying what the list accepts.
 */
export function parseFilter<F extends string>(
  text: string | undefined,
  fields: readonly F[],
): Partial<Record<F, string>> {
  const result: Partial<Record<F, string>> = {};
  if (!text?.trim()) return result;
  for (const term of text.trim().split(/\s+(?:AND\s+)?/)) {
    const at = term.indexOf("=");
    const field = term.slice(0, at) as F;
    const value = term.slice(at + 1);
    if (at <= 0 || !value) throw invalid(`"${term}" is not field=value.`, fields);
    if (!fields.includes(field)) throw invalid(`${field} is not a filter field here.`, fields);
    if (result[field] !== undefined) throw invalid(`${field} appears twice.`, fields);
    result[field] = value;
  }
  return result;
}

function invalid(reason: string, fields: readonly string[]) {
  const message = `${reason} Accepted: ${fields.map((f) => `${f}=…`).join(", ")}.`;
  return new OmniglassError("INVALID", `filter: ${message}`, {
    fieldErrors: [{ field: "filter", message }],
  });
}
