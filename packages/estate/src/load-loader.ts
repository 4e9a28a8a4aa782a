import { isMap, isScalar, isSeq, type Pair } from "yaml";
import type { z } from "zod";
import { normalizeRef, type Address, type AddressKind, type RefOptions } from "./address";
import {
  didYouMean,
  formatPath,
  type Diagnostic,
  type DiagnosticCode,
  type SourcePosition,
} from "./diagnostics";
import { isReference, isSecretKey, SECRET_VALUE } from "./load-secrets";
import {
  keyText,
  nodeAt,
  positionOf,
  resolved,
  toJs,
  type ParsedFile,
  type Segment,
} from "./load-yaml";
import { defOf, mapOption, unwrap } from "./load-zod";
import type { EstateObject } from "./model";
import { ENV_REFERENCE, PLACES } from "./schema";

/*
 * The loader's state and checks: diagnostics, declared objects, key checks (with did-you-mean),
 * inline secrets, schema parsing with issues at their nodes, and references.
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
  private readonly secretPaths = new Set<string>();

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

  // keys ---------------------------------------------------------------------------------------

  /** Reports every key not allowed where it is, walking the node along the schema. */
  checkKeys(parsed: ParsedFile, node: unknown, schema: z.ZodType, path: Segment[], deep = true) {
    const value = resolved(node, parsed.doc);
    let shape = unwrap(schema);
    let def = defOf(shape);
    if (def.type === "union") {
      if (!isMap(value)) return;
      const option = mapOption(shape);
      if (!option) return;
      shape = option;
      def = defOf(shape);
    }
    if (def.type === "object" && isMap(value)) {
      const keys = def.shape ?? {};
      for (const pair of value.items) {
        const key = keyText(pair);
        if (!(key in keys)) this.unknownKey(parsed, pair, key, shape, [...path, key]);
        else if (deep) this.checkKeys(parsed, pair.value, keys[key]!, [...path, key]);
      }
    } else if (def.type === "record" && isMap(value) && def.valueType) {
      for (const pair of value.items)
        this.checkKeys(parsed, pair.value, def.valueType, [...path, keyText(pair)]);
    } else if (def.type === "array" && isSeq(value) && def.element) {
      value.items.forEach((item, i) => this.checkKeys(parsed, item, def.element!, [...path, i]));
    }
  }

  private unknownKey(
    parsed: ParsedFile,
    pair: Pair,
    key: string,
    object: z.ZodType,
    path: Segment[],
  ) {
    const value = resolved(pair.value, parsed.doc);
    if (isSecretKey(key) && isScalar(value) && value.value !== null && !isReference(value.value))
      return;
    const at = positionOf(parsed, pair.key);
    const here = PLACES.get(object);
    const allowed = Object.keys(defOf(object).shape ?? {});
    if (here?.name.endsWith("-existing")) {
      const kind = here.name.slice(0, -"-existing".length);
      const declared = [...PLACES.entries()].find(([, p]) => p.name === kind)?.[0];
      if (declared && key in (defOf(declared).shape ?? {})) {
        this.report(
          "misplaced-key",
          at,
          path,
          `\`${key}\` cannot be set on an existing ${kind}: \`existing: true\` only refers to an object these files do not manage`,
          `remove \`existing: true\` to manage it from the files, or remove \`${key}\``,
        );
        return;
      }
    }
    const close = didYouMean(key, allowed);
    const elsewhere = [...PLACES.entries()]
      .filter(
        ([schema, p]) =>
          schema !== object && !p.name.endsWith("-existing") && key in (defOf(schema).shape ?? {}),
      )
      .map(([, p]) => p.where);
    if (elsewhere.length > 0 && close === null) {
      this.report(
        "misplaced-key",
        at,
        path,
        `\`${key}\` is not a key of ${here?.where ?? "this object"}; it belongs in ${elsewhere.join(" or ")}`,
      );
      return;
    }
    const also = elsewhere.length > 0 ? ` (\`${key}\` is a key of ${elsewhere.join(" or ")})` : "";
    this.report(
      "unknown-key",
      at,
      path,
      `unknown key \`${key}\` in ${here?.where ?? "this object"}`,
      close !== null ? `did you mean \`${close}\`?${also}` : `allowed here: ${allowed.join(", ")}`,
    );
  }

  // secrets ------------------------------------------------------------------------------------

  /**
   * Inline secrets: a secret-named key (password, community, token, secret, …) with a literal
   * value, or a value in our token formats, anywhere — labels and metadata included. A
   * `${…}` reference anywhere but where references are allowed is an invalid value.
   */
  checkSecrets(
    parsed: ParsedFile,
    node: unknown,
    path: Segment[],
    referencesAllowed: (path: Segment[]) => boolean,
  ) {
    const value = resolved(node, parsed.doc);
    if (isMap(value)) {
      for (const pair of value.items) {
        const key = keyText(pair);
        const item = resolved(pair.value, parsed.doc);
        const at = [...path, key];
        if (
          isSecretKey(key) &&
          isScalar(item) &&
          item.value !== null &&
          item.value !== "" &&
          typeof item.value !== "boolean" &&
          !isReference(item.value)
        ) {
          this.secretPaths.add(`${parsed.file}\0${formatPath(at)}`);
          this.report(
            "inline-secret",
            positionOf(parsed, item),
            at,
            `\`${key}\` holds a secret written inline; secrets are never stored in estate files`,
            "write a reference: `${env:NAME}` (read when applying) or `{ secretRef: <name> }`",
          );
          continue;
        }
        this.checkSecrets(parsed, item, at, referencesAllowed);
      }
    } else if (isSeq(value)) {
      value.items.forEach((item, i) =>
        this.checkSecrets(parsed, item, [...path, i], referencesAllowed),
      );
    } else if (isScalar(value) && typeof value.value === "string") {
      if (SECRET_VALUE.test(value.value)) {
        this.secretPaths.add(`${parsed.file}\0${formatPath(path)}`);
        this.report(
          "inline-secret",
          positionOf(parsed, value),
          path,
          "this value is a token or webhook secret written inline",
          "write a reference: `${env:NAME}` or `{ secretRef: <name> }`",
        );
      } else if (
        value.value.includes("${") &&
        !(referencesAllowed(path) && ENV_REFERENCE.test(value.value))
      ) {
        this.secretPaths.add(`${parsed.file}\0${formatPath(path)}`);
        this.report(
          "invalid-value",
          positionOf(parsed, value),
          path,
          referencesAllowed(path)
            ? `\`${value.value}\` is not a reference: write \`\${env:NAME}\` alone`
            : "references (`${env:NAME}`) are only allowed as a variable's value or an endpoint's secret",
        );
      }
    }
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
