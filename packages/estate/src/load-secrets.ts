import { isMap, isScalar, isSeq } from "yaml";
import { formatPath } from "./diagnostics";
import type { Loader } from "./load-loader";
import { keyText, positionOf, resolved, type ParsedFile, type Segment } from "./load-yaml";
import type { SecretRef } from "./model";
import { ENV_REFERENCE } from "./schema";

/* Secret detection: keys that name a secret, values that are one, and secret references. */

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

export function isReference(value: unknown): boolean {
  return typeof value === "string" && ENV_REFERENCE.test(value);
}

export function secretOf(value: unknown): SecretRef | null {
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

/**
 * Inline secrets: a secret-named key (password, community, token, secret, …) with a literal
 * value, or a value in our token formats, anywhere — labels and metadata included. A
 * `${…}` reference anywhere but where references are allowed is an invalid value.
 */
export function checkSecrets(
  loader: Loader,
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
        loader.secretPaths.add(`${parsed.file}\0${formatPath(at)}`);
        loader.report(
          "inline-secret",
          positionOf(parsed, item),
          at,
          `\`${key}\` holds a secret written inline; secrets are never stored in estate files`,
          "write a reference: `${env:NAME}` (read when applying) or `{ secretRef: <name> }`",
        );
        continue;
      }
      checkSecrets(loader, parsed, item, at, referencesAllowed);
    }
  } else if (isSeq(value)) {
    value.items.forEach((item, i) =>
      checkSecrets(loader, parsed, item, [...path, i], referencesAllowed),
    );
  } else if (isScalar(value) && typeof value.value === "string") {
    if (SECRET_VALUE.test(value.value)) {
      loader.secretPaths.add(`${parsed.file}\0${formatPath(path)}`);
      loader.report(
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
      loader.secretPaths.add(`${parsed.file}\0${formatPath(path)}`);
      loader.report(
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
