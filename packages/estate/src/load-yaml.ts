import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node as YamlNode,
  type Pair,
} from "yaml";
import type { SourcePosition } from "./diagnostics";

/* YAML with positions: the nodes of a parsed file, where each is, and its value. */

export interface ParsedFile {
  file: string;
  doc: Document;
  lines: LineCounter;
}

export type Segment = string | number;

export function resolved(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

export function keyText(pair: Pair): string {
  const key = pair.key;
  return isScalar(key) ? String(key.value) : String(key);
}

export function positionOf(parsed: ParsedFile, node: unknown): SourcePosition {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return { file: parsed.file, line: 1, column: 1 };
  const { line, col } = parsed.lines.linePos(range[0]);
  return { file: parsed.file, line, column: col };
}

/** The node at `path` below `node`, or the deepest one that exists. */
export function nodeAt(parsed: ParsedFile, node: unknown, path: readonly PropertyKey[]): unknown {
  let current = resolved(node, parsed.doc);
  for (const segment of path) {
    if (isMap(current)) {
      const pair = current.items.find((item) => keyText(item) === String(segment));
      if (!pair) return current;
      current = resolved(pair.value ?? pair.key, parsed.doc);
    } else if (isSeq(current) && typeof segment === "number") {
      const item = current.items[segment];
      if (item === undefined) return current;
      current = resolved(item, parsed.doc);
    } else return current;
  }
  return current;
}

export function toJs(parsed: ParsedFile, node: unknown): unknown {
  if (node === null || node === undefined) return null;
  return (node as YamlNode).toJS(parsed.doc, { maxAliasCount: 100 });
}

export function fieldNode(parsed: ParsedFile, node: unknown, key: string): unknown {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => keyText(p) === key);
  return pair ? resolved(pair.value, parsed.doc) : undefined;
}

export function keyNode(parsed: ParsedFile, map: unknown, key: string): unknown {
  const value = resolved(map, parsed.doc);
  return isMap(value) ? value.items.find((pair) => keyText(pair) === key)?.key : undefined;
}
