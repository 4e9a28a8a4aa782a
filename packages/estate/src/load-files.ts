/* The files of an estate: how they are read, and how an include resolves against its file. */

/** One file of an estate, by its path (posix, relative to where the entry is). */
export interface EstateFile {
  path: string;
  text: string;
}

/** Reads a file by path; undefined when it does not exist. */
export type ReadFile = (path: string) => string | undefined;

/** A reader over files held in memory (an API request's files, a test's, an export's). */
export function readerOf(files: readonly EstateFile[] | Record<string, string>): ReadFile {
  const map = new Map(
    Array.isArray(files)
      ? files.map((file) => [normalizeFilePath(file.path), file.text] as const)
      : Object.entries(files).map(([path, text]) => [normalizeFilePath(path), text] as const),
  );
  return (path) => map.get(normalizeFilePath(path));
}

/** `a/./b/../c.yaml` → `a/c.yaml`; null when it climbs above the root or is absolute. */
export function normalizeFilePath(path: string): string {
  const out: string[] = [];
  for (const part of path.replaceAll("\\", "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

export function resolveInclude(from: string, target: string): string | null {
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
