/*
 * Diagnostics: every problem an estate file has, typed, with where it is. Validation never
 * stops at the first one; a model is only as good as a run with no `error` diagnostic.
 */

export const DIAGNOSTIC_CODES = [
  /** The YAML itself does not parse (or a document is not a map). */
  "syntax",
  /** A key no object takes at this place; `hint` says what it probably meant. */
  "unknown-key",
  /** A key valid elsewhere, not here; the message names where it belongs. */
  "misplaced-key",
  /** A typed address of a kind the field does not take; the message names the expected kind. */
  "wrong-kind-address",
  /** A bare name where the field accepts several kinds: the kind must be written. */
  "ambiguous-address",
  /** A reference to an object neither declared in the files nor marked `existing: true`. */
  "dangling-reference",
  /** A secret written inline (only `${env:NAME}` or `{ secretRef: <name> }` are allowed). */
  "inline-secret",
  /** The same object (address) declared twice. */
  "duplicate-object",
  /** A value the schema refuses (type, range, pattern, a missing required field). */
  "invalid-value",
  /** A file includes itself, directly or through others. */
  "include-cycle",
  /** An included file (or the entry file) cannot be read. */
  "include-missing",
  /** The file's `version` is not one this release reads. */
  "unsupported-version",
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface SourcePosition {
  /** The file, as the entry names it and includes resolve it (posix, relative). */
  file: string;
  /** 1-based line and column; 0 when the problem is not at a place in a file. */
  line: number;
  column: number;
}

export interface Diagnostic extends SourcePosition {
  code: DiagnosticCode;
  severity: "error" | "warning";
  /** Where in the document: `systems["campus.hq.room-1.av"].roles.display.quorum`. */
  path: string;
  message: string;
  hint?: string;
}

/** `file:line:column: error code: message (hint)`, one line, as a terminal shows it. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const hint = d.hint ? ` (${d.hint})` : "";
  return `${where}: ${d.severity} ${d.code}: ${d.message}${d.path ? ` at ${d.path}` : ""}${hint}`;
}

/** Stable order: by file, line, column, code, path, message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    cmp(a.code, b.code) ||
    cmp(a.path, b.path) ||
    cmp(a.message, b.message)
  );
}

/** Byte-wise (code unit) string order: the same everywhere, unlike localeCompare. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate `word` most probably meant (case-insensitive edit distance at most a third of
 * its length, at least 1, at most 3), or null.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of [...candidates].sort(cmp)) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= limit ? best : null;
}

/** A path segment as paths print it: `name`, or `["campus.hq"]` when it is not a plain word. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
