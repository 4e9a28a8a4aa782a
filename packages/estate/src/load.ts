import {
  canonicalTimeZone,
  compileExpression,
  compileSchedule,
  compileSystemExpression,
  OmniglassError,
  parseDuration,
} from "@omniglass/domain";
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
} from "yaml";
import type { z } from "zod";
import {
  kindOf,
  normalizeRef,
  parentPath,
  REGISTRY_KINDS,
  type Address,
  type AddressKind,
  type RefOptions,
} from "./address";
import {
  cmp,
  compareDiagnostics,
  didYouMean,
  formatPath,
  type Diagnostic,
  type DiagnosticCode,
  type SourcePosition,
} from "./diagnostics";
import {
  modelOf,
  type EstateModel,
  type EstateObject,
  type Json,
  type SecretRef,
  type VariableSpec,
} from "./model";
import { referencesOf } from "./references";
import {
  type ActionRuleEntry,
  type ComponentEntry,
  DEFAULTS,
  type EndpointEntry,
  ENV_REFERENCE,
  ESTATE_FORMAT_VERSION,
  EstateDocument,
  EXISTING_STUBS,
  GrantEntry,
  type LocationEntry,
  type NodeEntry,
  PLACES,
  type RuleEntry,
  SECTIONS,
  SilenceDefaultsEntry,
  type SystemEntry,
  type WindowEntry,
  type SectionName,
} from "./schema";

/** One file of an estate, by its path (posix, relative to where the entry is). */
export interface EstateFile {
  path: string;
  text: string;
}

/** Reads a file by path; undefined when it does not exist. */
export type ReadFile = (path: string) => string | undefined;

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

/** A reader over files held in memory (an API request's files, a test's, an export's). */
export function readerOf(files: readonly EstateFile[] | Record<string, string>): ReadFile {
  const map = new Map(
    Array.isArray(files)
      ? files.map((file) => [normalizeFilePath(file.path), file.text] as const)
      : Object.entries(files).map(([path, text]) => [normalizeFilePath(path), text] as const),
  );
  return (path) => map.get(normalizeFilePath(path));
}

// --- paths -----------------------------------------------------------------------------------

/** `a/./b/../c.yaml` → `a/c.yaml`; null when it climbs above the root or is absolute. */
function normalizeFilePath(path: string): string {
  const out: string[] = [];
  for (const part of path.replaceAll("\\", "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

function resolveInclude(from: string, target: string): string | null {
  if (target.startsWith("/") || /^[A-Za-z]:[\\/]/.test(target)) return null;
  const dir = from.includes("/") ? from.slice(0, from.lastIndexOf("/")) : "";
  const parts: string[] = dir === "" ? [] : dir.split("/");
  for (const part of target.replaceAll("\\", "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

// --- YAML helpers ------------------------------------------------------------------------------

interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
}

type Segment = string | number;

function resolved(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(pair: Pair): string {
  const key = pair.key;
  return isScalar(key) ? String(key.value) : String(key);
}

function positionOf(parsed: ParsedFile, node: unknown): SourcePosition {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return { file: parsed.file, line: 1, column: 1 };
  const { line, col } = parsed.lines.linePos(range[0]);
  return { file: parsed.file, line, column: col };
}

/** The node at `path` below `node`, or the deepest one that exists. */
function nodeAt(parsed: ParsedFile, node: unknown, path: readonly PropertyKey[]): unknown {
  let current = resolved(node, parsed.doc);
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find((item) => keyText(item) === String(segment));
      if (!pair) return current;
      current = resolved(pair.value ?? pair.key, parsed.doc);
    } else if (isSeq(current) && typeof segment === "number") {
      const item = current.items[segment];
      if (item === undefined) return current;
      current = resolved(item, parsed.doc);
    } else return current;
  }
  return current;
}

function toJs(parsed: ParsedFile, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  return (node as YamlNode).toJS(parsed.doc, { maxAliasCount: 100 });
}

// --- schema introspection --------------------------------------------------------------------

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (
      def.innerType &&
      ["optional", "default", "nullable", "readonly", "prefault", "catch"].includes(def.type)
    ) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

const SCALAR_TYPES = new Set([
  "string",
  "number",
  "int",
  "boolean",
  "literal",
  "enum",
  "null",
  "bigint",
  "date",
  "template_literal",
]);

/** The one object option of a union that a map can be (null when none, or a free-form one). */
function mapOption(union: z.ZodType): z.ZodType | null {
  const options = (defOf(union).options ?? []).map(unwrap);
  const maps = options.filter(
    (option) => !SCALAR_TYPES.has(defOf(option).type) && defOf(option).type !== "array",
  );
  if (maps.length !== 1) return null;
  const only = maps[0]!;
  const type = defOf(only).type;
  if (type === "union") return mapOption(only);
  return type === "object" ? only : null;
}

// --- secrets ---------------------------------------------------------------------------------

const SECRET_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "community",
  "credential",
  "credentials",
  "apikey",
  "pin",
]);

/** Whether a key names a secret: `password`, `snmp-community`, `apiToken`, `api_key`, … */
export function isSecretKey(key: string): boolean {
  let known = SECRET_KEYS.get(key);
  if (known === undefined) {
    known = secretKey(key);
    // Keys repeat (`type`, `template`, `address`, … on every object): each is split once.
    if (SECRET_KEYS.size < 10_000) SECRET_KEYS.set(key, known);
  }
  return known;
}
const SECRET_KEYS = new Map<string, boolean>();

function secretKey(key: string): boolean {
  if (key === "secretRef") return false;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORDS.has(words[i]!)) return true;
    const pair = `${words[i]}${words[i + 1] ?? ""}`;
    if (pair === "apikey" || pair === "privatekey") return true;
  }
  return false;
}

/** Values that are secrets whatever their key: our own token and webhook secret formats. */
const SECRET_VALUE = /^(whsec_[A-Za-z0-9+/=]{16,}|og_[A-Za-z0-9_-]{20,})$/;

// --- the loader --------------------------------------------------------------------------------

class Loader {
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

function isReference(value: unknown): boolean {
  return typeof value === "string" && ENV_REFERENCE.test(value);
}

function secretOf(value: unknown): SecretRef | null {
  if (typeof value === "string") {
    const match = ENV_REFERENCE.exec(value);
    return match ? { env: match[1]! } : null;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const name = (value as Record<string, unknown>).secretRef;
    if (keys.length === 1 && typeof name === "string") return { secretRef: name };
  }
  return null;
}

const sorted = <T extends string>(items: readonly T[]): T[] => [...new Set(items)].sort(cmp);

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
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
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
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

  for (const parsed of parsedFiles) readDocument(loader, parsed);
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

// --- sections ----------------------------------------------------------------------------------

function readDocument(loader: Loader, parsed: ParsedFile) {
  const root = parsed.doc.contents;
  if (!isMap(root)) return;
  loader.checkKeys(parsed, root, EstateDocument, [], false);
  for (const pair of root.items) {
    const key = keyText(pair);
    const value = resolved(pair.value, parsed.doc);
    if (key === "tags" || key === "variables") {
      readBindings(
        loader,
        parsed,
        "platform",
        [],
        key === "tags" ? value : undefined,
        key === "variables" ? value : undefined,
      );
    } else if (key in SECTIONS) {
      readSection(loader, parsed, key as SectionName, value, pair);
    } else if (key === "silenceDefaults") {
      readSilenceDefaults(loader, parsed, pair);
    } else if (key === "grants") {
      readGrants(loader, parsed, value, pair);
    }
  }
}

const refsInVariables = (path: Segment[]) =>
  path.length >= 2 && path[path.length - 2] === "variables";
const refsInSecret = (path: Segment[]) =>
  refsInVariables(path) ||
  path[path.length - 1] === "secret" ||
  (path[path.length - 2] === "secret" && path[path.length - 1] === "secretRef");

function readSection(
  loader: Loader,
  parsed: ParsedFile,
  section: SectionName,
  value: unknown,
  pair: Pair,
) {
  if (value === null || (isScalar(value) && value.value === null)) return;
  if (!isMap(value)) {
    loader.report(
      "invalid-value",
      positionOf(parsed, value ?? pair.key),
      [section],
      `\`${section}\` is a map of objects by ${SECTIONS[section].kind === "location" || SECTIONS[section].kind === "system" || SECTIONS[section].kind === "component" ? "path" : "name"}`,
    );
    return;
  }
  const { kind } = SECTIONS[section];
  for (const item of value.items) {
    const key = keyText(item);
    const path: Segment[] = [section, key];
    const at = positionOf(parsed, item.key);
    const body = resolved(item.value, parsed.doc);
    const address = loader.ref(parsed, item.key, path, key, [kind]);
    if (address === undefined) continue;
    if (!loader.declare(address, at, path)) continue;
    const isStub = isMap(body) && body.items.some((p) => keyText(p) === "existing");
    const stub = EXISTING_STUBS[section];
    const schema = isStub && stub ? stub : SECTIONS[section].entry;
    loader.checkKeys(parsed, body, schema, path);
    loader.checkSecrets(parsed, body, path, refsInSecret);
    const data = loader.parse(parsed, body, schema, path) as Record<string, unknown> | undefined;
    if (data === undefined) continue;
    if (isStub) {
      loader.objects[address] = { kind, existing: true };
    } else {
      const spec = normalizeEntry(loader, parsed, section, address, data, body, path);
      if (spec !== undefined) loader.objects[address] = { kind, spec } as EstateObject;
    }
    if (SECTIONS[section].bindings) {
      readBindings(
        loader,
        parsed,
        address,
        path,
        fieldNode(parsed, body, "tags"),
        fieldNode(parsed, body, "variables"),
        data,
      );
    }
  }
}

function fieldNode(parsed: ParsedFile, node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => keyText(p) === key);
  return pair ? resolved(pair.value, parsed.doc) : undefined;
}

function readBindings(
  loader: Loader,
  parsed: ParsedFile,
  target: Address,
  path: Segment[],
  tags: unknown,
  variables: unknown,
  data?: Record<string, unknown>,
) {
  const standalone = data === undefined;
  if (standalone) {
    // Platform bindings: checked here (objects' bindings are checked with their object).
    if (tags !== undefined) {
      loader.checkSecrets(parsed, tags, ["tags"], () => false);
      const parsedTags = loader.parse(parsed, tags, EstateDocument.shape.tags, ["tags"]);
      data = { ...data, tags: parsedTags };
    }
    if (variables !== undefined) {
      loader.checkSecrets(parsed, variables, ["variables"], refsInVariables);
      const parsedVariables = loader.parse(parsed, variables, EstateDocument.shape.variables, [
        "variables",
      ]);
      data = { ...data, variables: parsedVariables };
    }
  }
  const tagValues = (data?.tags ?? {}) as Record<string, string>;
  const variableValues = (data?.variables ?? {}) as Record<string, Json>;
  for (const [key, value] of Object.entries(tagValues)) {
    const address = `tag.${target}.${key}`;
    const at = positionOf(parsed, keyNode(parsed, tags, key));
    if (loader.declare(address, at, [...path, "tags", key]))
      loader.objects[address] = { kind: "tag", spec: { value } };
  }
  for (const [key, value] of Object.entries(variableValues)) {
    const address = `variable.${target}.${key}`;
    const at = positionOf(parsed, keyNode(parsed, variables, key));
    if (!loader.declare(address, at, [...path, "variables", key])) continue;
    const secret = secretOf(value);
    const spec: VariableSpec = secret ? { secret } : { value };
    loader.objects[address] = { kind: "variable", spec };
  }
}

function keyNode(parsed: ParsedFile, map: unknown, key: string): unknown {
  const value = resolved(map, parsed.doc);
  return isMap(value) ? value.items.find((pair) => keyText(pair) === key)?.key : undefined;
}

function readSilenceDefaults(loader: Loader, parsed: ParsedFile, pair: Pair) {
  const address = "silence-defaults";
  const path: Segment[] = ["silenceDefaults"];
  if (!loader.declare(address, positionOf(parsed, pair.key), path)) return;
  const body = resolved(pair.value, parsed.doc);
  loader.checkKeys(parsed, body, SilenceDefaultsEntry, path);
  const data = loader.parse(parsed, body, SilenceDefaultsEntry, path);
  if (!data) return;
  const ms: Record<string, number> = {};
  for (const field of ["duration", "maxDuration"] as const) {
    const text = data[field];
    if (text === undefined) continue;
    try {
      ms[field] = parseDuration(text);
      if (ms[field] <= 0) throw new OmniglassError("INVALID", "must be longer than zero");
    } catch (error) {
      loader.report(
        "invalid-value",
        positionOf(parsed, nodeAt(parsed, body, [field])),
        [...path, field],
        (error as Error).message,
      );
      return;
    }
  }
  if (ms.duration !== undefined && ms.maxDuration !== undefined && ms.duration > ms.maxDuration) {
    loader.report(
      "invalid-value",
      positionOf(parsed, nodeAt(parsed, body, ["duration"])),
      [...path, "duration"],
      "the default duration is longer than maxDuration",
    );
    return;
  }
  loader.objects[address] = {
    kind: "silence-defaults",
    spec: { ...optional("duration", data.duration), ...optional("maxDuration", data.maxDuration) },
  };
}

function readGrants(loader: Loader, parsed: ParsedFile, value: unknown, pair: Pair) {
  if (value === null || (isScalar(value) && value.value === null)) return;
  if (!isSeq(value)) {
    loader.report(
      "invalid-value",
      positionOf(parsed, value ?? pair.key),
      ["grants"],
      "`grants` is a list of { principal, role, scope }",
    );
    return;
  }
  value.items.forEach((item, i) => {
    const node = resolved(item, parsed.doc);
    const path: Segment[] = ["grants", i];
    loader.checkKeys(parsed, node, GrantEntry, path);
    loader.checkSecrets(parsed, node, path, () => false);
    const data = loader.parse(parsed, node, GrantEntry, path);
    if (!data) return;
    const principal = loader.ref(
      parsed,
      nodeAt(parsed, node, ["principal"]),
      [...path, "principal"],
      data.principal,
      ["principal"],
    );
    const role = loader.ref(parsed, nodeAt(parsed, node, ["role"]), [...path, "role"], data.role, [
      "role",
    ]);
    const scope = loader.ref(
      parsed,
      nodeAt(parsed, node, ["scope"]),
      [...path, "scope"],
      data.scope,
      ["location", "system"],
      { words: ["all"] },
    );
    if (!principal || !role || !scope) return;
    const isLocation = kindOf(scope) === "location";
    if (data.operator !== undefined && !isLocation) {
      loader.report(
        "invalid-value",
        positionOf(parsed, nodeAt(parsed, node, ["operator"])),
        [...path, "operator"],
        "`operator` applies to a location scope only",
      );
      return;
    }
    const address = `grant.${principal.slice("principal.".length)}.${role.slice("role.".length)}.${scope}`;
    if (!loader.declare(address, positionOf(parsed, node), path)) return;
    for (const to of [principal, role, scope])
      loader.referenceSites.set(
        `${address}\0${to}`,
        positionOf(
          parsed,
          nodeAt(parsed, node, [to === principal ? "principal" : to === role ? "role" : "scope"]),
        ),
      );
    loader.objects[address] = {
      kind: "grant",
      spec: {
        principal,
        role,
        scope,
        ...(isLocation ? { operator: data.operator ?? DEFAULTS.locationOperator } : {}),
      },
    };
  });
}

// --- entries -------------------------------------------------------------------------------------

type Data = Record<string, unknown>;

function normalizeEntry(
  loader: Loader,
  parsed: ParsedFile,
  section: SectionName,
  address: Address,
  data: Data,
  body: unknown,
  path: Segment[],
): unknown {
  const at = (...field: Segment[]) => nodeAt(parsed, body, field);
  const ref = (
    text: string,
    field: Segment[],
    accepts: readonly AddressKind[],
    options?: RefOptions,
  ) => loader.ref(parsed, at(...field), [...path, ...field], text, accepts, options, address);
  const invalid = (field: Segment[], message: string) =>
    loader.report("invalid-value", positionOf(parsed, at(...field)), [...path, ...field], message);
  const bucket = {
    labels: (data.labels ?? {}) as Record<string, string>,
    metadata: (data.metadata ?? {}) as Record<string, Json>,
  };
  const pathBody = address.slice(address.indexOf(".") + 1);
  const placed = (what: string): string | undefined => {
    const location = parentPath(pathBody);
    if (location === null) {
      invalid(
        [],
        `${what} is placed in a location: its key is the location's path, then its name (e.g. campus.hq.room-1.${pathBody})`,
      );
      return undefined;
    }
    return location;
  };
  let ok = true;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) ok = false;
    return value as T;
  };

  switch (section) {
    case "locations": {
      const d = data as z.output<typeof LocationEntry>;
      return { type: d.type, ...optional("label", d.label), ...bucket };
    }
    case "systems": {
      const d = data as z.output<typeof SystemEntry>;
      const location = placed("a system");
      if (location === undefined) return undefined;
      const roles = Object.fromEntries(
        Object.entries(d.roles ?? {}).map(([name, role]) => [
          name,
          {
            ...optional("label", role.label),
            accepts: sorted(role.accepts),
            quorum: role.quorum,
            impact: role.impact,
          },
        ]),
      );
      const members: Record<Address, { primary: boolean; role?: string }> = {};
      (d.members ?? []).forEach((member, i) => {
        const entry =
          typeof member === "string" ? { component: member, primary: DEFAULTS.primary } : member;
        const field: Segment[] =
          typeof member === "string" ? ["members", i] : ["members", i, "component"];
        const component = ref(entry.component, field, ["component"], { relativeTo: location });
        if (component === undefined) return void (ok = false);
        if (members[component]) {
          loader.report(
            "duplicate-object",
            positionOf(parsed, at(...field)),
            [...path, ...field],
            `\`${component}\` is a member twice`,
          );
          return void (ok = false);
        }
        if (entry.role !== undefined && !(entry.role in roles)) {
          loader.report(
            "dangling-reference",
            positionOf(parsed, at("members", i, "role")),
            [...path, "members", i, "role"],
            `\`${entry.role}\` is not a role of this system`,
            Object.keys(roles).length
              ? `its roles: ${Object.keys(roles).sort(cmp).join(", ")}`
              : "declare it under `roles:`",
          );
          return void (ok = false);
        }
        members[component] = { primary: entry.primary, ...optional("role", entry.role) };
      });
      return ok
        ? { type: d.type, ...optional("label", d.label), roles, members, ...bucket }
        : undefined;
    }
    case "components": {
      const d = data as z.output<typeof ComponentEntry>;
      if (placed("a component") === undefined) return undefined;
      const template = need(
        ref(d.template, ["template"], ["template"], { templateVersion: "required" }),
      );
      const node = d.node === undefined ? undefined : need(ref(d.node, ["node"], ["node"]));
      const interfaces = Object.fromEntries(
        Object.entries(d.interfaces ?? {}).map(([name, binding]) => [
          name,
          {
            ...optional(
              "node",
              binding.node === undefined
                ? undefined
                : need(ref(binding.node, ["interfaces", name, "node"], ["node"])),
            ),
            ...optional("host", binding.host),
            ...optional("port", binding.port),
          },
        ]),
      );
      return ok
        ? {
            template,
            ...optional("label", d.label),
            ...optional("vendor", d.vendor),
            ...optional("model", d.model),
            ...optional("serial", d.serial),
            ...optional("mac", d.mac),
            ...optional("address", d.address),
            ...optional("node", node),
            interfaces,
            ...bucket,
          }
        : undefined;
    }
    case "nodes": {
      const d = data as z.output<typeof NodeEntry>;
      const location = ref(d.location, ["location"], ["location"]);
      return location === undefined ? undefined : { location, ...optional("label", d.label) };
    }
    case "rules": {
      const d = data as z.output<typeof RuleEntry>;
      const scope = ref(
        d.scope,
        ["scope"],
        d.ownerKind === "system"
          ? ["location", "system", "system-type"]
          : ["location", "system", "component", "template", "system-type"],
        { words: ["all"], templateVersion: "required" },
      );
      if (scope === undefined) return undefined;
      if (d.ownerKind === "system" && d.sustainSeconds !== 0)
        return void invalid(["sustainSeconds"], "a system rule has no sustain period (0)");
      for (const field of ["fire", "clear"] as const) {
        const source = d[field];
        if (source === undefined) continue;
        try {
          if (d.ownerKind === "system") compileSystemExpression(field, source);
          else compileExpression(field, source);
        } catch (error) {
          if (!(error instanceof OmniglassError)) throw error;
          return void invalid([field], error.message);
        }
      }
      return {
        ownerKind: d.ownerKind,
        ...optional("label", d.label),
        ...optional("description", d.description),
        severity: d.severity,
        fire: d.fire,
        ...optional("clear", d.clear),
        sustainSeconds: d.sustainSeconds,
        scope,
        enabled: d.enabled,
        flapWindowSeconds: d.flapWindowSeconds,
        flapThreshold: d.flapThreshold,
      };
    }
    case "maintenanceWindows": {
      const d = data as z.output<typeof WindowEntry>;
      const scope = ref(d.scope, ["scope"], ["location", "system", "component", "template"], {
        templateVersion: "forbidden",
      });
      if (scope === undefined) return undefined;
      try {
        compileSchedule({
          dtstart: d.dtstart,
          timeZone: d.timeZone,
          duration: d.duration,
          rrule: d.rrule ?? null,
        });
      } catch (error) {
        if (!(error instanceof OmniglassError)) throw error;
        const field = error.fieldErrors[0]?.field ?? "dtstart";
        return void invalid([field], error.fieldErrors[0]?.message ?? error.message);
      }
      return {
        ...optional("label", d.label),
        ...optional("description", d.description),
        scope,
        dtstart: d.dtstart,
        timeZone: canonicalTimeZone(d.timeZone) ?? d.timeZone,
        duration: d.duration,
        ...optional("rrule", d.rrule),
        enabled: d.enabled,
      };
    }
    case "actionRules": {
      const d = data as z.output<typeof ActionRuleEntry>;
      const scope = need(
        ref(d.scope, ["scope"], ["location", "system", "template"], {
          words: ["all"],
          templateVersion: "forbidden",
        }),
      );
      const m = d.matchers ?? {};
      const rules = m.rules?.map((rule, i) => need(ref(rule, ["matchers", "rules", i], ["rule"])));
      const endpoints = d.endpoints.map((endpoint, i) =>
        need(ref(endpoint, ["endpoints", i], ["endpoint"])),
      );
      if (!ok) return undefined;
      return {
        ...optional("label", d.label),
        enabled: d.enabled,
        scope,
        matchers: {
          ...optional("severities", m.severities && sorted(m.severities)),
          ...optional("rules", rules && sorted(rules)),
          ...optional("kinds", m.kinds && sorted(m.kinds)),
          ...optional("suppressed", m.suppressed),
          ...optional("acknowledged", m.acknowledged),
        },
        endpoints: sorted(endpoints),
      };
    }
    case "webhookEndpoints": {
      const d = data as z.output<typeof EndpointEntry>;
      const location =
        d.location === undefined ? undefined : ref(d.location, ["location"], ["location"]);
      if (d.location !== undefined && location === undefined) return undefined;
      const secret = d.secret === undefined ? undefined : (secretOf(d.secret) ?? undefined);
      return {
        ...optional("label", d.label),
        url: d.url,
        ...optional("location", location),
        enabled: d.enabled,
        ...optional("secret", secret),
      };
    }
  }
}

// --- references ----------------------------------------------------------------------------------

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
function checkReferences(loader: Loader) {
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
