import { readFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { loadEstate, type Diagnostic, type LoadedEstate } from "@omniglass/estate";
import type { CliIo } from "../io";
import { emit, withOutput, type OutputOptions } from "../output";

/**
 * `omniglass estate …`: the estate as files (issue #15, docs/guides/estate-as-code.md).
 * `validate` is local and pure: it reads the files and nothing else (no server, no state).
 */
export function estateCommand(io: CliIo) {
  return new Command("estate")
    .description(
      "Estate as code: validate, plan and apply the estate from files (docs/guides/estate-as-code.md)",
    )
    .addCommand(validateCommand(io));
}

/**
 * Reads `file` and the files it includes from disk. Diagnostics name files as the entry
 * names them (relative to the entry's folder); `shown` maps such a name back to the path as
 * typed on the command line, so `omniglass estate validate site/estate.yaml` points at
 * `site/rooms/a.yaml:3:5`.
 */
export function readEstateFiles(file: string): LoadedEstate & { shown: (name: string) => string } {
  const folder = path.dirname(file);
  const loaded = loadEstate(path.basename(file), (name) => {
    try {
      return readFileSync(path.join(folder, name), "utf8");
    } catch {
      return undefined;
    }
  });
  const shown = (name: string) => (folder === "." ? name : path.join(folder, name));
  return { ...loaded, shown };
}

/** `file:line:column  code  message at path (did you mean …)`; a warning says so. */
export function diagnosticLine(d: Diagnostic, shown: (name: string) => string = (n) => n): string {
  const where = d.line > 0 ? `${shown(d.file)}:${d.line}:${d.column}` : shown(d.file);
  const code = d.severity === "warning" ? `warning ${d.code}` : d.code;
  return `${where}  ${code}  ${d.message}${d.path ? ` at ${d.path}` : ""}${d.hint ? ` (${d.hint})` : ""}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function validateCommand(io: CliIo) {
  return withOutput(
    new Command("validate")
      .description(
        "Check estate files locally (no server, no state): every problem with file:line:column; exit 1 on any error",
      )
      .argument("<file>", "the entry file (estate.yaml); the files it includes are read too"),
  ).action((file: string, options: OutputOptions) => {
    const loaded = readEstateFiles(file);
    const diagnostics = loaded.diagnostics.map((d) => ({ ...d, file: loaded.shown(d.file) }));
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const answer = {
      ok: loaded.ok,
      files: loaded.files.map((f) => loaded.shown(f.path)),
      objects: Object.keys(loaded.model.objects).length,
      diagnostics,
    };
    emit(io, options, answer, () => {
      for (const d of diagnostics) io.out(diagnosticLine(d));
      const counts = `${plural(answer.files.length, "file")}, ${plural(answer.objects, "object")}`;
      const warnings = diagnostics.length - errors;
      if (loaded.ok)
        io.out(
          `${file}: valid (${counts}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""})`,
        );
      else
        io.err(
          `omniglass: ${file} is not valid: ${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""} (${counts} read)`,
        );
    });
    process.exitCode = loaded.ok ? 0 : 1;
  });
}
