import { describe, expect, it } from "vitest";
import {
  envelopeKeyId,
  newSecretKeyBase64,
  openSecret,
  parseSecretKey,
  sealSecret,
} from "./envelope";

const master = parseSecretKey(newSecretKeyBase64());

describe("secret envelope", () => {
  it("round-trips a value, with a fresh data key and IV each time", () => {
    const a = sealSecret(master, "public-community", "row-1");
    const b = sealSecret(master, "public-community", "row-1");
    expect(a).not.toEqual(b);
    expect(a).not.toContain("public-community");
    expect(a.startsWith(`og1.${master.id}.`)).toBe(true);
    expect(envelopeKeyId(a)).toBe(master.id);
    expect(openSecret(master, a, "row-1")).toBe("public-community");
    expect(openSecret(master, b, "row-1")).toBe("public-community");
    expect(openSecret(master, sealSecret(master, "", "row-1"), "row-1")).toBe("");
    expect(openSecret(master, sealSecret(master, "pässwörd ✓", "r"), "r")).toBe("pässwörd ✓");
  });

  it("refuses a tampered envelope in any part", () => {
    const envelope = sealSecret(master, "secret", "row-1");
    const parts = envelope.split(".");
    for (let index = 2; index < parts.length; index++) {
      const bytes = Buffer.from(parts[index]!, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      const tampered = [...parts];
      tampered[index] = bytes.toString("base64url");
      expect(() => openSecret(master, tampered.join("."), "row-1"), `part ${index}`).toThrow(
        /integrity/,
      );
    }
  });

  it("refuses an envelope moved to another row, another key or another version", () => {
    const envelope = sealSecret(master, "secret", "row-1");
    expect(() => openSecret(master, envelope, "row-2")).toThrow(/integrity/);
    const other = parseSecretKey(newSecretKeyBase64());
    expect(() => openSecret(other, envelope, "row-1")).toThrow(/sealed under key/);
    // The same key id claimed by a different key still fails authentication.
    expect(() => openSecret({ id: master.id, key: other.key }, envelope, "row-1")).toThrow(
      /integrity/,
    );
    expect(() => openSecret(master, envelope.replace(/^og1/, "og2"), "row-1")).toThrow(/version-1/);
    expect(() => openSecret(master, "og1.x.y", "row-1")).toThrow(/version-1/);
  });

  it("insists on a 32-byte base64 master key, naming the variable", () => {
    expect(() => parseSecretKey(Buffer.alloc(16).toString("base64"))).toThrow(
      /OMNIGLASS_SECRET_KEY.*32 bytes \(got 16\)/,
    );
    expect(parseSecretKey(Buffer.alloc(32, 7).toString("base64")).id).toMatch(/^[0-9a-f]{16}$/);
  });
});
