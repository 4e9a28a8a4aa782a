import { isMap, isScalar, isSeq } from "yaml";
import type { Address } from "./address";
import { cmp, compareDiagnostics, type Diagnostic, type SourcePosition } from "./diagnostics";
import { normalizeFilePath, resolveInclude, type EstateFile, type ReadFile } from "./load-files";
import { parseFile } from "./load-fast";
import { Loader } from "./load-loader";
import { checkReferences } from "./load-references";
import { readDocument } from "./load-sections";
import { keyText, positionOf, resolved, type ParsedFile, type Segment } from "./load-yaml";
import { modelOf, type EstateModel } from "./model";
import { ESTATE_FORMAT_VERSION } from "./schema";

export { readerOf, type EstateFile, type ReadFile } from "./load-files";
export { isSecretKey } from "./load-secrets";

export interface LoadedEstate {
  /** The desired model (only as complete as the files are valid: see `ok`). */
  model: EstateModel;
  /** Every file read, sorted by path: what the desired digest covers. */
  files: EstateFile[];
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** Where each declared object is (its key), by address. */
  sources: Record<Address, SourcePosition>;
  /** No diagnostic of severity error. */
  ok: boolean;
}

/**
 * Reads `entry` and every file it includes (relative paths; each file once; cycles and
 * missing files are diagnostics) into the desired model, with every problem as a diagnostic
 * naming its file, line and column. No state is read: references to objects outside the files
 * must be declared `existing: true`; registry references (templates, roles, principals) are
 * checked by the plan against the state.
 */
export function loadEstate(entry: string, readFile: ReadFile): LoadedEstate {
  const loader = new Loader();
  const files: EstateFile[] = [];
  const parsedFiles: ParsedFile[] = [];
  const seen = new Set<string>();
  const entryPath = normalizeFilePath(entry);

  const visit = (
    file: string,
    stack: string[],
    from: { parsed: ParsedFile; node: unknown; path: Segment[] } | null,
  ) => {
    const at = from ? positionOf(from.parsed, from.node) : { file, line: 0, column: 0 };
    if (stack.includes(file)) {
      loader.report(
        "include-cycle",
        at,
        from?.path ?? [],
        `including \`${file}\` makes a cycle: ${[...stack.slice(stack.indexOf(file)), file].join(" → ")}`,
        "a file may be included by several others, but never by itself or one of the files it includes",
      );
      return;
    }
    if (seen.has(file)) return;
    const text = readFile(file);
    if (text === undefined) {
      loader.report(
        "include-missing",
        at,
        from?.path ?? [],
        from
          ? `included file \`${file}\` does not exist`
          : `the estate file \`${file}\` does not exist`,
      );
      return;
    }
    seen.add(file);
    files.push({ path: file, text });
    const { doc, lines } = parseFile(text);
    const parsed: ParsedFile = { file, doc, lines };
    if (doc.errors.length > 0) {
      // The first error only: the ones after it are mostly its echoes.
      const [error] = doc.errors;
      const position = lines.linePos(error!.pos[0]);
      const more = doc.errors.length - 1;
      loader.report(
        "syntax",
        { file, line: position.line, column: position.col },
        [],
        `${error!.message.split("\n")[0]!}${more > 0 ? ` (and ${more} more parse error${more === 1 ? "" : "s"} after it)` : ""}`,
        (text.split("\n")[position.line - 1] ?? "").includes("${")
          ? "a `${…}` reference inside { … } or [ … ] must be quoted"
          : undefined,
      );
      return;
    }
    if (doc.contents !== null && !isMap(doc.contents)) {
      loader.report(
        "syntax",
        positionOf(parsed, doc.contents),
        [],
        "an estate file is a map of sections (locations:, systems:, …)",
      );
      return;
    }
    parsedFiles.push(parsed);
    const root = doc.contents;
    const version = root?.items.find((pair) => keyText(pair) === "version");
    if (version === undefined && file === entryPath) {
      loader.report(
        "invalid-value",
        { file, line: 1, column: 1 },
        ["version"],
        "the entry file starts with `version: 1`",
      );
    } else if (version !== undefined) {
      const value = resolved(version.value, doc);
      if (!isScalar(value) || value.value !== ESTATE_FORMAT_VERSION) {
        loader.report(
          "unsupported-version",
          positionOf(parsed, value),
          ["version"],
          `version ${String(isScalar(value) ? value.value : value)} is not one this release reads; it reads version ${ESTATE_FORMAT_VERSION}`,
        );
      }
    }
    const include = root?.items.find((pair) => keyText(pair) === "include");
    if (include) {
      const list = resolved(include.value, doc);
      if (!isSeq(list)) {
        loader.report(
          "invalid-value",
          positionOf(parsed, list ?? include.key),
          ["include"],
          "`include` is a list of relative file paths",
        );
        return;
      }
      list.items.forEach((item, i) => {
        const value = resolved(item, doc);
        const path: Segment[] = ["include", i];
        if (!isScalar(value) || typeof value.value !== "string" || value.value === "") {
          loader.report(
            "invalid-value",
            positionOf(parsed, value),
            path,
            "an include is a relative file path",
          );
          return;
        }
        const target = resolveInclude(file, value.value);
        if (target === null) {
          loader.report(
            "invalid-value",
            positionOf(parsed, value),
            path,
            `\`${value.value}\` is not a relative path inside the estate's folder`,
          );
          return;
        }
        visit(target, [...stack, file], { parsed, node: value, path });
      });
    }
  };
  visit(entryPath, [], null);

  // Each file's nodes are let go once it is read (the model and the positions it needs are
  // kept): at 100,000 components they are most of the load's memory.
  for (let i = 0; i < parsedFiles.length; i++) {
    readDocument(loader, parsedFiles[i]!);
    parsedFiles[i] = undefined as unknown as ParsedFile;
  }
  checkReferences(loader);

  const diagnostics = loader.diagnostics.sort(compareDiagnostics);
  return {
    model: modelOf(loader.objects),
    files: files.sort((a, b) => cmp(a.path, b.path)),
    diagnostics,
    sources: Object.fromEntries(Object.entries(loader.sources).sort(([a], [b]) => cmp(a, b))),
    ok: !diagnostics.some((d) => d.severity === "error"),
  };
}
