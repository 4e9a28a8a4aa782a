import { kindOf, REGISTRY_KINDS, type AddressKind } from "./address";
import { cmp, formatPath } from "./diagnostics";
import type { Loader } from "./load-loader";
import { referencesOf } from "./references";
import { SECTIONS } from "./schema";

/** The section of an estate file that declares objects of a kind. */
function sectionOf(kind: AddressKind | null): string {
  const section = Object.entries(SECTIONS).find(([, s]) => s.kind === kind)?.[0];
  if (section) return section;
  const others: Partial<Record<AddressKind, string>> = {
    tag: "tags",
    variable: "variables",
    grant: "grants",
    "silence-defaults": "silenceDefaults",
  };
  return (kind && others[kind]) ?? String(kind);
}

const LOCAL_KINDS = new Set<AddressKind>([
  "location",
  "system",
  "component",
  "node",
  "rule",
  "endpoint",
  "window",
  "action-rule",
]);
const REGISTRY = new Set<string>(REGISTRY_KINDS);

/**
 * Every reference to an object the files could declare resolves to a declaration (`existing:
 * true` included). Registry references (templates, roles, principals, system types) are the
 * plan's to check: validate reads no state.
 */
export function checkReferences(loader: Loader) {
  const addresses = Object.keys(loader.objects).sort(cmp);
  for (const from of addresses) {
    const object = loader.objects[from]!;
    for (const reference of referencesOf(from, object)) {
      const kind = kindOf(reference.to);
      if (kind === null || REGISTRY.has(kind) || !LOCAL_KINDS.has(kind)) continue;
      if (loader.declared.has(reference.to)) continue;
      const at = loader.referenceSites.get(`${from}\0${reference.to}`) ?? loader.sources[from]!;
      const body = reference.to.slice(kind.length + 1);
      const section = sectionOf(kind);
      const fromKind = kindOf(from);
      const implicit =
        reference.field === "parent" ||
        (reference.field === "location" &&
          (object.kind === "system" || object.kind === "component"));
      loader.report(
        "dangling-reference",
        at,
        `${formatPath([sectionOf(fromKind), from.slice(from.indexOf(".") + 1)])}${implicit ? "" : `.${reference.field}`}`,
        `${implicit ? "placed in" : "refers to"} \`${reference.to}\`, which the files do not declare`,
        `declare it, or mark it as existing outside the files: ${section}: { ${body}: { existing: true } }`,
      );
    }
  }
}
