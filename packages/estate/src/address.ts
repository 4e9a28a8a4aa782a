/*
 * Typed addresses (DESIGN.md §10): every reference in an estate model is `<kind>.<body>`, e.g.
 * `location.campus.hq`, `component.campus.hq.room-1.display-1`, `template.generic-display@2`.
 * A file may write a bare body where the field fixes the kind (`node: edge-1` → `node.edge-1`);
 * plans and state hold only the typed form.
 *
 * A string whose first dot-separated segment is a kind word is read as typed, so a location
 * named like a kind (`node`) must be written typed in a field that accepts it (`location.node`).
 */

/** Every kind of address. The first group are objects the files declare; the rest are registries. */
export const ADDRESS_KINDS = [
  "location",
  "system",
  "component",
  "node",
  "rule",
  "window",
  "action-rule",
  "endpoint",
  "tag",
  "variable",
  "grant",
  "silence-defaults",
  "template",
  "role",
  "principal",
  "system-type",
  "platform",
] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];

/** Kinds the product keeps in registries: referenced by files, never declared in them. */
export const REGISTRY_KINDS = ["template", "role", "principal", "system-type"] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** What a reference field may name (an object kind, a registry kind, or `platform`). */
export type RefKind = AddressKind;

/** A typed address in its normalized text form. */
export type Address = string;

const NAME = /^[a-z0-9][a-z0-9-]*$/;
const MAX_NAME = 100;
const KIND_WORDS = new Set<string>(ADDRESS_KINDS);

export const isName = (text: string): boolean => text.length <= MAX_NAME && NAME.test(text);

/** A dotted path of names (`campus.hq.room-1`). */
export const isPath = (text: string): boolean => text.split(".").every(isName);

const ARTICLE: Record<AddressKind, string> = {
  location: "a location",
  system: "a system",
  component: "a component",
  node: "a node",
  rule: "a rule",
  window: "a maintenance window",
  "action-rule": "an action rule",
  endpoint: "a webhook endpoint",
  tag: "a tag",
  variable: "a variable",
  grant: "a grant",
  "silence-defaults": "the silence defaults",
  template: "a template",
  role: "a role",
  principal: "a principal",
  "system-type": "a system type",
  platform: "the platform",
};

/** `a location`, `a template`: how messages name a kind. */
export const describeKind = (kind: AddressKind): string => ARTICLE[kind];

/** `a location or a system`: the kinds a field accepts, for messages. */
export function describeKinds(kinds: readonly AddressKind[]): string {
  const words = kinds.map(describeKind);
  return words.length <= 1
    ? (words[0] ?? "nothing")
    : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** The example of a typed address of each kind, for hints. */
export const EXAMPLE: Record<AddressKind, string> = {
  location: "location.campus.hq",
  system: "system.campus.hq.room-1.av",
  component: "component.campus.hq.room-1.display-1",
  node: "node.edge-1",
  rule: "rule.hot-display",
  window: "window.saturday-patching",
  "action-rule": "action-rule.page-critical",
  endpoint: "endpoint.pager",
  tag: "tag.location.campus.hq.building-code",
  variable: "variable.platform.snmp-community",
  grant: "grant.alice.operator.location.campus.hq",
  "silence-defaults": "silence-defaults",
  template: "template.generic-display@2",
  role: "role.operator",
  principal: "principal.alice",
  "system-type": "system-type.meeting-room",
  platform: "platform",
};

/** The kind word of a typed address, or null when the text does not start with one. */
export function kindOf(text: string): AddressKind | null {
  if (text === "platform" || text === "silence-defaults") return text;
  const dot = text.indexOf(".");
  const head = dot < 0 ? text : text.slice(0, dot);
  return dot > 0 && KIND_WORDS.has(head) ? (head as AddressKind) : null;
}

/** The body after `<kind>.` (empty for `platform` and `silence-defaults`). */
export function bodyOf(address: Address): string {
  const kind = kindOf(address);
  return kind === null || kind === "platform" || kind === "silence-defaults"
    ? ""
    : address.slice(kind.length + 1);
}

/** The template pin of `template.<name>@<version>`; version null for `template.<name>`. */
export function templateParts(address: Address): { name: string; version: number | null } {
  const body = bodyOf(address);
  const at = body.indexOf("@");
  return at < 0
    ? { name: body, version: null }
    : { name: body.slice(0, at), version: Number(body.slice(at + 1)) };
}

/**
 * Whether `body` is well formed for `kind`. `templateVersion`: whether a template address must,
 * may or must not name a version.
 */
function bodyProblem(
  kind: AddressKind,
  body: string,
  templateVersion: "required" | "optional" | "forbidden",
): string | null {
  switch (kind) {
    case "location":
    case "system":
    case "component":
      return isPath(body)
        ? null
        : "a dotted path of names (lowercase letters, digits and dashes), e.g. campus.hq.room-1";
    case "template": {
      const match = /^([a-z0-9][a-z0-9-]*)(?:@(\d+))?$/.exec(body);
      if (!match || body.length > 120)
        return "a template's name and version, e.g. generic-display@2";
      const version = match[2];
      if (version === undefined && templateVersion === "required")
        return "a template pin names its version: <name>@<version>, e.g. generic-display@2";
      if (version !== undefined && templateVersion === "forbidden")
        return "this field names a template without a version (every version matches)";
      if (version !== undefined && (Number(version) < 1 || !Number.isSafeInteger(Number(version))))
        return "a template version is a whole number from 1";
      return null;
    }
    case "tag":
    case "variable": {
      const last = body.lastIndexOf(".");
      const target = body.slice(0, last);
      if (last < 0 || !isName(body.slice(last + 1))) return "<target>.<key>";
      return target === "platform" ||
        ["location", "system", "component"].includes(kindOf(target) ?? "")
        ? null
        : "<target>.<key> where the target is platform or a location, system or component";
    }
    case "grant":
      return /^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*\.(all|(location|system)\..+)$/.test(body)
        ? null
        : "<principal>.<role>.<scope>";
    case "platform":
    case "silence-defaults":
      return body === "" ? null : "no body";
    default:
      return isName(body) ? null : "a name: lowercase letters, digits and dashes";
  }
}

export type RefResult =
  | { ok: true; address: Address }
  | {
      ok: false;
      code: "wrong-kind-address" | "ambiguous-address" | "invalid-value";
      message: string;
      hint?: string;
    };

export interface RefOptions {
  /** For a bare name without dots in a location-scoped kind: the location path it is relative to. */
  relativeTo?: string;
  /** Template addresses: whether a version is required (pins), optional, or forbidden (scopes). */
  templateVersion?: "required" | "optional" | "forbidden";
  /** Words taken as they are (e.g. `all` in a scope). */
  words?: readonly string[];
}

/**
 * Normalizes a reference written in a field that accepts `accepts`: a typed address of one of
 * those kinds is checked; a bare body is taken as the one kind the field fixes (with a single
 * accepted kind) and is ambiguous otherwise; a typed address of another kind is wrong-kind.
 */
export function normalizeRef(
  text: string,
  accepts: readonly RefKind[],
  options: RefOptions = {},
): RefResult {
  const templateVersion = options.templateVersion ?? "optional";
  const trimmed = text.trim();
  if (options.words?.includes(trimmed)) return { ok: true, address: trimmed };
  const typed = kindOf(trimmed);
  const expected = () => describeKinds(accepts);
  if (typed !== null) {
    if (!accepts.includes(typed)) {
      return {
        ok: false,
        code: "wrong-kind-address",
        message: `\`${trimmed}\` is ${describeKind(typed)} address; this field expects ${expected()}`,
        hint: `write ${accepts.map((kind) => `\`${EXAMPLE[kind]}\``).join(" or ")}`,
      };
    }
    const problem = bodyProblem(typed, bodyOf(trimmed), templateVersion);
    return problem === null
      ? { ok: true, address: trimmed }
      : { ok: false, code: "invalid-value", message: `\`${trimmed}\`: expected ${problem}` };
  }
  if (accepts.length !== 1) {
    return {
      ok: false,
      code: "ambiguous-address",
      message: `\`${trimmed}\` could name ${expected()}: write the kind`,
      hint: `e.g. ${accepts
        .filter((kind) => kind !== "platform")
        .map((kind) => `\`${kind}.${trimmed}\``)
        .join(" or ")}`,
    };
  }
  const kind = accepts[0]!;
  let body = trimmed;
  if (
    options.relativeTo !== undefined &&
    isName(body) &&
    (kind === "component" || kind === "system")
  ) {
    body = `${options.relativeTo}.${body}`;
  }
  const problem = bodyProblem(kind, body, templateVersion);
  return problem === null
    ? { ok: true, address: `${kind}.${body}` }
    : { ok: false, code: "invalid-value", message: `\`${trimmed}\`: expected ${problem}` };
}

/** The location path an object of a path kind is placed in (`campus.hq` for `system.campus.hq.av`). */
export function parentPath(path: string): string | null {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? null : path.slice(0, dot);
}

/** Depth of a path: `campus` is 1, `campus.hq` is 2. */
export const depthOf = (path: string): number => (path === "" ? 0 : path.split(".").length);

/** Whether `path` is `root` or below it. */
export const inSubtree = (path: string, root: string): boolean =>
  path === root || path.startsWith(`${root}.`);
