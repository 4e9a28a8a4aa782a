import { isMap, isScalar, isSeq, type Pair } from "yaml";
import type { z } from "zod";
import { didYouMean } from "./diagnostics";
import type { Loader } from "./load-loader";
import { isReference, isSecretKey } from "./load-secrets";
import { keyText, positionOf, resolved, type ParsedFile, type Segment } from "./load-yaml";
import { defOf, mapOption, unwrap } from "./load-zod";
import { PLACES } from "./schema";

/* Key checks: every key not allowed where it is, with a did-you-mean or where it belongs. */

/** Reports every key not allowed where it is, walking the node along the schema. */
export function checkKeys(
  loader: Loader,
  parsed: ParsedFile,
  node: unknown,
  schema: z.ZodType,
  path: Segment[],
  deep = true,
) {
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
      if (!(key in keys)) unknownKey(loader, parsed, pair, key, shape, [...path, key]);
      else if (deep) checkKeys(loader, parsed, pair.value, keys[key]!, [...path, key]);
    }
  } else if (def.type === "record" && isMap(value) && def.valueType) {
    for (const pair of value.items)
      checkKeys(loader, parsed, pair.value, def.valueType, [...path, keyText(pair)]);
  } else if (def.type === "array" && isSeq(value) && def.element) {
    value.items.forEach((item, i) => checkKeys(loader, parsed, item, def.element!, [...path, i]));
  }
}

function unknownKey(
  loader: Loader,
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
      loader.report(
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
    loader.report(
      "misplaced-key",
      at,
      path,
      `\`${key}\` is not a key of ${here?.where ?? "this object"}; it belongs in ${elsewhere.join(" or ")}`,
    );
    return;
  }
  const also = elsewhere.length > 0 ? ` (\`${key}\` is a key of ${elsewhere.join(" or ")})` : "";
  loader.report(
    "unknown-key",
    at,
    path,
    `unknown key \`${key}\` in ${here?.where ?? "this object"}`,
    close !== null ? `did you mean \`${close}\`?${also}` : `allowed here: ${allowed.join(", ")}`,
  );
}
