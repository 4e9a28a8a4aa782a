import { cmp, formatPath } from "./diagnostics";
import { canonicalJson, sortKeys, type Json } from "./model";
import type { FieldChange } from "./plan-types";

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** Differences of two specs, in path order (objects present on both sides recurse; arrays compare whole). */
export function diffFields(
  before: unknown,
  after: unknown,
  path: (string | number)[] = [],
): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    // The common case at scale (a plan of unchanged files): identical JSON has no difference.
    if (path.length === 0 && JSON.stringify(before) === JSON.stringify(after)) return [];
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(cmp);
    return keys.flatMap((key) => diffFields(before[key], after[key], [...path, key]));
  }
  // A whole spec created or deleted lists its fields; below that, an entry added or removed
  // (a role, a member, an interface) is one field with the entry as its value.
  if (path.length === 0 && isPlainObject(before) && after === undefined)
    return diffFields(before, {}, path);
  if (path.length === 0 && before === undefined && isPlainObject(after))
    return diffFields({}, after, path);
  // An empty record says nothing more than an absent one.
  const empty = (value: unknown) =>
    value === undefined || (isPlainObject(value) && Object.keys(value).length === 0);
  if (empty(before) && empty(after)) return [];
  if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) return [];
  return [
    {
      path: formatPath(path),
      before: before === undefined ? null : (sortKeys(before) as Json),
      after: after === undefined ? null : (sortKeys(after) as Json),
    },
  ];
}
