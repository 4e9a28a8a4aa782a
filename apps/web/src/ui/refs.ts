/** A dotted path in a URL segment, decoded once (Next may hand it over still encoded). Server-safe. */
export function decodeRef(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}
