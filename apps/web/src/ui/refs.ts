/** A dotted path in a URL segment, decoded once (Next may hand it over still encoded). Server-safe. */
export function decodeRef(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}

/** A route's search parameters, as Next hands them over. */
export type Search = Promise<Record<string, string | string[] | undefined>>;

/** One search parameter's value, or "" when absent or repeated. */
export const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");
