/**
 * Secret variables at rest (issue #5, device credentials): an AES-256-GCM envelope. Each value is
 * encrypted under a fresh random data key; the data key is encrypted (wrapped) under the master key
 * from configuration (`OMNIGLASS_SECRET_KEY`). Both layers are authenticated: the data key with
 * the key id as associated data, the value with the caller's context (the binding's id), so an
 * envelope copied onto another row does not open.
 *
 * Format (version 1), dot-separated, base64url parts:
 *   og1.<keyId>.<wrapIv>.<wrapTag>.<wrappedKey>.<iv>.<tag>.<ciphertext>
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { OmniglassError } from "@omniglass/domain";

const VERSION = "og1";
const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;

/** The master key: 32 bytes, and its id (the first 16 hex digits of its SHA-256). */
export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Parses `OMNIGLASS_SECRET_KEY` (base64 of 32 bytes); throws naming the variable otherwise. */
export function parseSecretKey(base64: string): SecretKey {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32)
    throw new Error(
      `OMNIGLASS_SECRET_KEY must be base64 of exactly 32 bytes (got ${key.length}); make one with \`openssl rand -base64 32\`.`,
    );
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 16), key };
}

/** A fresh master key, base64 (for start scripts and tests). */
export function newSecretKeyBase64(): string {
  return randomBytes(32).toString("base64");
}

const b64 = (buffer: Buffer) => buffer.toString("base64url");

function encrypt(key: Buffer, plaintext: Buffer, aad: string) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** Seals `plaintext` for the row identified by `context`. */
export function sealSecret(master: SecretKey, plaintext: string, context: string): string {
  const dataKey = randomBytes(32);
  try {
    const wrapped = encrypt(master.key, dataKey, `${VERSION}.${master.id}`);
    const sealed = encrypt(dataKey, Buffer.from(plaintext, "utf8"), `${VERSION}.${context}`);
    return [
      VERSION,
      master.id,
      b64(wrapped.iv),
      b64(wrapped.tag),
      b64(wrapped.ciphertext),
      b64(sealed.iv),
      b64(sealed.tag),
      b64(sealed.ciphertext),
    ].join(".");
  } finally {
    dataKey.fill(0);
  }
}

/** The key id an envelope was sealed under (to tell which master key it needs), or null. */
export function envelopeKeyId(envelope: string): string | null {
  const parts = envelope.split(".");
  return parts.length === 8 && parts[0] === VERSION ? parts[1]! : null;
}

/**
 * Opens an envelope sealed for `context`. Throws (never returns garbage) when it was tampered
 * with, sealed for another row, or under another master key.
 */
export function openSecret(master: SecretKey, envelope: string, context: string): string {
  const parts = envelope.split(".");
  if (parts.length !== 8 || parts[0] !== VERSION)
    throw new OmniglassError("INTERNAL", "A stored secret is not a version-1 envelope.");
  const [, keyId, wrapIv, wrapTag, wrappedKey, iv, tag, ciphertext] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (keyId !== master.id)
    throw new OmniglassError(
      "INTERNAL",
      `A stored secret was sealed under key ${keyId}, not the configured key ${master.id}.`,
    );
  const from = (part: string) => Buffer.from(part, "base64url");
  let dataKey: Buffer | null = null;
  try {
    dataKey = decrypt(
      master.key,
      from(wrapIv),
      from(wrapTag),
      from(wrappedKey),
      `${VERSION}.${keyId}`,
    );
    return decrypt(
      dataKey,
      from(iv),
      from(tag),
      from(ciphertext),
      `${VERSION}.${context}`,
    ).toString("utf8");
  } catch (cause) {
    throw new OmniglassError("INTERNAL", "A stored secret failed its integrity check.", { cause });
  } finally {
    dataKey?.fill(0);
  }
}

/** The fail-closed answer when a secret must be sealed or opened but no key is configured. */
export function noSecretKey(): OmniglassError {
  return new OmniglassError(
    "UNAVAILABLE",
    "Secret variables are unavailable: the server has no OMNIGLASS_SECRET_KEY configured (base64 of 32 bytes).",
  );
}
