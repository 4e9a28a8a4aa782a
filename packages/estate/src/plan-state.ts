import { bodyOf, kindOf, type Address } from "./address";
import { cmp, type Diagnostic, type SourcePosition } from "./diagnostics";
import { isExisting, type EstateObject } from "./model";
import { referencesOf } from "./references";

/**
 * References the files make that only the state can resolve: registry rows (a template pin, a
 * role, a principal, a system type) and objects declared `existing: true`.
 */
export function checkAgainstState(
  wanted: Record<Address, EstateObject>,
  have: Record<Address, EstateObject>,
  sources: Record<Address, SourcePosition>,
  diagnostics: Diagnostic[],
) {
  const templateNames = new Set(
    Object.keys(have)
      .filter((a) => kindOf(a) === "template")
      .map((a) => bodyOf(a).split("@")[0]!),
  );
  const at = (address: Address): SourcePosition =>
    sources[address] ?? { file: "", line: 0, column: 0 };
  const report = (address: Address, field: string, message: string, hint: string) => {
    const position = at(address);
    diagnostics.push({
      code: "dangling-reference",
      severity: "error",
      ...position,
      path: field ? `${address}.${field}` : address,
      message,
      hint,
    });
  };
  for (const address of Object.keys(wanted).sort(cmp)) {
    const object = wanted[address]!;
    if (isExisting(object)) {
      if (have[address] === undefined) {
        report(
          address,
          "",
          `\`${address}\` is declared \`existing: true\` but the state has no such object`,
          "create it first, or declare it fully so the plan creates it",
        );
      }
      continue;
    }
    for (const reference of referencesOf(address, object)) {
      const kind = kindOf(reference.to);
      if (kind !== "template" && kind !== "role" && kind !== "principal" && kind !== "system-type")
        continue;
      const known =
        kind === "template" && !reference.to.includes("@")
          ? templateNames.has(bodyOf(reference.to))
          : have[reference.to] !== undefined;
      if (!known) {
        report(
          address,
          reference.field,
          `refers to \`${reference.to}\`, which the state does not have`,
          kind === "template"
            ? "publish the template version first, or pin one that exists"
            : `the ${kind} must exist before the plan can apply`,
        );
      }
    }
  }
}
