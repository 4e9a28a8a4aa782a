import { OmniglassError, parseDuration } from "@omniglass/domain";
import { isMap, isScalar, isSeq, type Pair } from "yaml";
import { kindOf, type Address } from "./address";
import { normalizeEntry, optional } from "./load-entries";
import type { Loader } from "./load-loader";
import { checkKeys } from "./load-keys";
import { checkSecrets, secretOf } from "./load-secrets";
import {
  fieldNode,
  keyNode,
  keyText,
  nodeAt,
  positionOf,
  resolved,
  type ParsedFile,
  type Segment,
} from "./load-yaml";
import type { EstateObject, Json, VariableSpec } from "./model";
import {
  DEFAULTS,
  EstateDocument,
  EXISTING_STUBS,
  GrantEntry,
  SECTIONS,
  SilenceDefaultsEntry,
  type SectionName,
} from "./schema";

/* The sections of a file: each declaration read, checked and put in the model. */

export function readDocument(loader: Loader, parsed: ParsedFile) {
  const root = parsed.doc.contents;
  if (!isMap(root)) return;
  checkKeys(loader, parsed, root, EstateDocument, [], false);
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
    checkKeys(loader, parsed, body, schema, path);
    checkSecrets(loader, parsed, body, path, refsInSecret);
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
      checkSecrets(loader, parsed, tags, ["tags"], () => false);
      const parsedTags = loader.parse(parsed, tags, EstateDocument.shape.tags, ["tags"]);
      data = { ...data, tags: parsedTags };
    }
    if (variables !== undefined) {
      checkSecrets(loader, parsed, variables, ["variables"], refsInVariables);
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

function readSilenceDefaults(loader: Loader, parsed: ParsedFile, pair: Pair) {
  const address = "silence-defaults";
  const path: Segment[] = ["silenceDefaults"];
  if (!loader.declare(address, positionOf(parsed, pair.key), path)) return;
  const body = resolved(pair.value, parsed.doc);
  checkKeys(loader, parsed, body, SilenceDefaultsEntry, path);
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
    checkKeys(loader, parsed, node, GrantEntry, path);
    checkSecrets(loader, parsed, node, path, () => false);
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
