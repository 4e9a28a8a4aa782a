import type { z } from "zod";
import { normalizeRef, type Address, type AddressKind, type RefOptions } from "./address";
import {
  formatPath,
  type Diagnostic,
  type DiagnosticCode,
  type SourcePosition,
} from "./diagnostics";
import { nodeAt, positionOf, toJs, type ParsedFile, type Segment } from "./load-yaml";
import type { EstateObject } from "./model";

/*
 * The loader's state: its diagnostics, the objects declared and where, schema parsing with
 * each issue at its node, and references (key checks: load-keys.ts; secrets: load-secrets.ts).
 */

export class Loader {
  readonly diagnostics: Diagnostic[] = [];
  readonly objects: Record<Address, EstateObject> = {};
  readonly sources: Record<Address, SourcePosition> = {};
  /** Addresses declared, valid or not (so a broken declaration does not make its users dangle). */
  readonly declared = new Set<Address>();
  /** `from\0to` → where the reference is written. */
  readonly referenceSites = new Map<string, SourcePosition>();
  /** `file\0path` prefixes already reported as inline secrets (no second diagnostic there). */
  readonly secretPaths = new Set<string>();

  report(
    code: DiagnosticCode,
    at: SourcePosition,
    path: readonly Segment[] | string,
    message: string,
    hint?: string,
  ) {
    this.diagnostics.push({
      code,
      severity: "error",
      file: at.file,
      line: at.line,
      column: at.column,
      path: typeof path === "string" ? path : formatPath(path),
      message,
      ...(hint ? { hint } : {}),
    });
  }

  private underSecret(file: string, path: readonly Segment[]): boolean {
    for (let i = path.length; i > 0; i--) {
      if (this.secretPaths.has(`${file}\0${formatPath(path.slice(0, i))}`)) return true;
    }
    return false;
  }

  // values -------------------------------------------------------------------------------------

  /** Parses `node` with `schema`, reporting each issue at its node; undefined when invalid. */
  parse<T extends z.ZodType>(
    parsed: ParsedFile,
    node: unknown,
    schema: T,
    path: Segment[],
  ): z.output<T> | undefined {
    const result = schema.safeParse(toJs(parsed, node));
    if (result.success) return result.data;
    this.reportIssues(parsed, node, result.error.issues, path, []);
    return undefined;
  }

  private reportIssues(
    parsed: ParsedFile,
    node: unknown,
    issues: readonly z.core.$ZodIssue[],
    path: Segment[],
    prefix: PropertyKey[],
  ) {
    for (const issue of issues) {
      const issuePath = [...prefix, ...issue.path];
      const full = [...path, ...(issuePath as Segment[])];
      if (issue.code === "unrecognized_keys" || this.underSecret(parsed.file, full)) continue;
      if (issue.code === "invalid_union") {
        const branch = this.bestBranch(issue.errors);
        if (branch) {
          this.reportIssues(parsed, node, branch, path, issuePath);
          continue;
        }
      }
      const target = nodeAt(parsed, node, issuePath);
      const missing =
        target !== nodeAt(parsed, node, issuePath.slice(0, -1)) ? false : issuePath.length > 0;
      const field = String(issuePath[issuePath.length - 1] ?? "");
      this.report(
        "invalid-value",
        positionOf(parsed, target),
        full,
        missing && issue.code === "invalid_type" ? `\`${field}\` is required` : issue.message,
      );
    }
  }

  /** The union branch whose issues are not a type mismatch at its root (the one meant). */
  private bestBranch(
    branches: readonly (readonly z.core.$ZodIssue[])[],
  ): readonly z.core.$ZodIssue[] | null {
    const meant = branches.filter(
      (issues) => !issues.some((issue) => issue.code === "invalid_type" && issue.path.length === 0),
    );
    return meant.length === 1 ? meant[0]! : null;
  }

  // objects ------------------------------------------------------------------------------------

  declare(address: Address, at: SourcePosition, path: Segment[]): boolean {
    const first = this.sources[address];
    if (first) {
      this.report(
        "duplicate-object",
        at,
        path,
        `\`${address}\` is declared twice (first at ${first.file}:${first.line}:${first.column})`,
        "declare each object once: merge the two, or remove one",
      );
      return false;
    }
    this.sources[address] = at;
    this.declared.add(address);
    return true;
  }

  /** Normalizes a reference, reporting at `node`; undefined when it does not normalize. */
  ref(
    parsed: ParsedFile,
    node: unknown,
    path: Segment[],
    text: string,
    accepts: readonly AddressKind[],
    options: RefOptions = {},
    from?: Address,
  ): Address | undefined {
    const result = normalizeRef(text, accepts, options);
    const at = positionOf(parsed, nodeAt(parsed, node, []));
    if (!result.ok) {
      this.report(result.code, at, path, result.message, result.hint);
      return undefined;
    }
    if (from !== undefined) this.referenceSites.set(`${from}\0${result.address}`, at);
    return result.address;
  }
}
