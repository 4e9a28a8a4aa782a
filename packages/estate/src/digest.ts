import { cmp } from "./diagnostics";
import type { EstateFile } from "./load";

/*
 * node:crypto is loaded when first used, not imported: plans are rendered in the console too,
 * where a static `node:crypto` import breaks the client bundle (as in domain's webhook.ts).
 */
const nodeCrypto = () => process.getBuiltinModule("node:crypto");

/** `sha256:<hex>` of text (UTF-8). */
export function sha256(text: string): string {
  return `sha256:${nodeCrypto().createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/**
 * The desired digest: sha256 over every file's path and bytes, files in path order, each framed
 * by its lengths so no two different sets of files hash alike. Comments and formatting count:
 * the digest names exactly the files reviewed, not only the model they mean.
 */
export function digestEstate(files: readonly EstateFile[]): string {
  const hash = nodeCrypto().createHash("sha256");
  const encoder = new TextEncoder();
  for (const file of [...files].sort((a, b) => cmp(a.path, b.path))) {
    const path = encoder.encode(file.path);
    const bytes = encoder.encode(file.text);
    hash.update(`${path.length}:`).update(path).update(`:${bytes.length}:`).update(bytes);
  }
  return `sha256:${hash.digest("hex")}`;
}
