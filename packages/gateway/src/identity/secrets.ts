import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

// The library's `Algorithm` is an ambient const enum (not importable under isolatedModules); 2 is Argon2id.
const ARGON2ID = 2;

/** API tokens and session secrets: 32 random bytes, prefixed; only the SHA-256 is stored. */
export function newSecret(prefix: "og_" | "ogs_"): {
  secret: string;
  hash: string;
  display: string;
} {
  const secret = `${prefix}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: hashSecret(secret), display: secret.slice(0, prefix.length + 6) };
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}
