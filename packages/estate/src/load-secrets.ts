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
export const SECRET_VALUE = /^(whsec_[A-Za-z0-9+/=]{16,}|og_[A-Za-z0-9_-]{20,})$/;

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
