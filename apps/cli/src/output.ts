import type { Command } from "commander";
import { stringify as toYaml } from "yaml";
import type { CliIo } from "./io";

/**
 * The output module: every command prints a table or a record for people, or its whole answer
 * with `--json` / `--yaml` for scripts (the server's answer as it came, nothing dropped).
 */

export interface OutputOptions {
  json?: boolean;
  yaml?: boolean;
}

export function withOutput(command: Command): Command {
  return command
    .option("--json", "print the answer as JSON")
    .option("--yaml", "print the answer as YAML");
}

/** Prints `result` as JSON or YAML when asked, else runs the human printer. */
export function emit<T>(io: CliIo, options: OutputOptions, result: T, print: (result: T) => void) {
  if (options.json) io.out(JSON.stringify(result, null, 2));
  else if (options.yaml) io.out(toYaml(result).trimEnd());
  else print(result);
}

export interface Column<Row> {
  header: string;
  value: (row: Row) => unknown;
}

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? "-"
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value as string | number | boolean);

/** Aligned columns under upper-case headers; an absent value prints as `-`. */
export function printTable<Row>(io: CliIo, columns: Column<NoInfer<Row>>[], rows: readonly Row[]) {
  const table = [
    columns.map((c) => c.header),
    ...rows.map((r) => columns.map((c) => cell(c.value(r)))),
  ];
  const widths = columns.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    io.out(
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    );
}

/** A single object: `key  value` lines, nested values as JSON. */
export function printRecord(io: CliIo, value: unknown) {
  if (!value || typeof value !== "object") {
    io.out(cell(value));
    return;
  }
  const entries = Object.entries(value);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  for (const [key, v] of entries) io.out(`${key.padEnd(width)}  ${cell(v)}`);
}

/**
 * The HEALTH cell of component, system and location lists: the verdict and since when, to the
 * minute ("outage since 2026-12-02 14:02Z"); an owner not judged yet says so, never blank.
 */
export function healthCell(health: { verdict: string; since: string } | null | undefined): string {
  if (!health) return "not judged yet";
  return `${health.verdict} since ${health.since.slice(0, 10)} ${health.since.slice(11, 16)}Z`;
}
