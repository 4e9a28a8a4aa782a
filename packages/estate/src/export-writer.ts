import { Document, isScalar, isSeq, visit } from "yaml";

/*
 * The import's YAML text. `yaml`'s Document stringify takes ~90 s on the 100,000-component bench
 * estate (most of the import); this writer emits the same text directly for what an export holds
 * — block maps, block lists of maps, one-line flow lists of scalars, `{}`/`[]`, plain and quoted
 * one-line strings, integers, booleans, null — asking `yaml` for each string it cannot prove
 * plain, and leaving the whole document to `yaml` for anything else (multi-line strings, lists of
 * lists, non-integer numbers, …). `export-writer.test.ts` holds it equal to `yaml`'s output.
 */

const OPTIONS = { lineWidth: 0, indent: 2, flowCollectionPadding: false } as const;

/** The document as `yaml` writes it: the reference, and the fallback. */
export function yamlText(root: Record<string, unknown>, header: string): string {
  const doc = new Document(root);
  // Lists of plain values read best on one line: `accepts: [display]`, `endpoints: [pager]`.
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  if (header !== "") doc.commentBefore = header;
  return doc.toString(OPTIONS);
}

/** `yamlText`, written directly when the document is in the writer's subset. */
export function estateText(root: Record<string, unknown>, header: string): string {
  return directText(root, header) ?? yamlText(root, header);
}

/** The document written directly; null when it is outside the writer's subset. */
export function directText(root: Record<string, unknown>, header: string): string | null {
  try {
    const out: string[] = [];
    for (const line of header.split("\n")) out.push(`#${line}\n`);
    out.push("\n");
    writeMap(out, root, "");
    return out.join("");
  } catch (error) {
    if (error instanceof OutsideSubset) return null;
    throw error;
  }
}

class OutsideSubset extends Error {}
const outside = (): never => {
  throw new OutsideSubset();
};

/** Strings `yaml` certainly writes plain in block context, as keys and as values. */
const PLAIN = /^[A-Za-z_/][A-Za-z0-9 _.@/()+-]*$/;
/** …that `yaml`'s core schema would read back as something else (so it quotes them). */
const CORE =
  /^(?:~|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** Starting with a digit is plain unless it reads as a number; those are left to `yaml`. */
const DIGITS = /^[0-9][A-Za-z0-9 _.@/()+-]*$/;
const NUMBERISH = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$|^0[ox]/;

function plainSafe(text: string, inFlow: boolean): boolean {
  if (text === "" || text.endsWith(" ") || text.includes("  ")) return false;
  if (inFlow && /[,[\]{}]/.test(text)) return false;
  if (PLAIN.test(text)) return !CORE.test(text);
  if (DIGITS.test(text)) return !NUMBERISH.test(text) && !text.includes(" ");
  return false;
}

const cache = new Map<string, string>();

/** A string scalar as `yaml` writes it: plain when provably so, else as `yaml` quotes it. */
function stringText(text: string, as: "key" | "value" | "flow"): string {
  if (text.includes("\n") || text.includes("\r")) outside();
  if (plainSafe(text, as === "flow")) return text;
  const id = `${as}\0${text}`;
  let written = cache.get(id);
  if (written === undefined) {
    // The same context in a tiny document: a map value, a key, or a flow list item.
    const probe =
      as === "key"
        ? yamlText({ [text]: 0 }, "")
        : as === "flow"
          ? yamlText({ k: [text] }, "")
          : yamlText({ k: text }, "");
    if (as === "key") {
      if (!probe.endsWith(": 0\n") || probe.startsWith("?")) outside();
      written = probe.slice(0, -": 0\n".length);
    } else if (as === "flow") {
      if (!probe.startsWith("k: [") || !probe.endsWith("]\n")) outside();
      written = probe.slice("k: [".length, -"]\n".length);
    } else {
      if (!probe.startsWith("k: ")) outside();
      written = probe.slice("k: ".length, -1);
    }
    if (written.includes("\n")) outside();
    if (cache.size < 10_000) cache.set(id, written);
  }
  return written;
}

function scalarText(value: unknown, as: "value" | "flow"): string {
  if (typeof value === "string") return stringText(value, as);
  if (typeof value === "number")
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : outside();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value === null) return "null";
  return outside();
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);
const isScalarValue = (value: unknown) =>
  value === null || (typeof value !== "object" && typeof value !== "undefined");

/** The entries of a block map at `indent`; the first line's indent already written when `first`. */
function writeMap(out: string[], map: Record<string, unknown>, indent: string, first = false) {
  let lead = first;
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    out.push(lead ? "" : indent, stringText(key, "key"), ":");
    lead = false;
    writeValue(out, value, indent);
  }
}

/** A value after `key:` (a space and a scalar or flow list, or a block below). */
function writeValue(out: string[], value: unknown, indent: string) {
  if (isScalarValue(value)) {
    out.push(" ", scalarText(value, "value"), "\n");
  } else if (Array.isArray(value)) {
    if (value.length === 0 || value.every(isScalarValue)) {
      out.push(" [", value.map((item) => scalarText(item, "flow")).join(", "), "]\n");
    } else {
      out.push("\n");
      writeSeq(out, value, `${indent}  `);
    }
  } else if (isRecord(value)) {
    if (Object.values(value).every((v) => v === undefined)) out.push(" {}\n");
    else {
      out.push("\n");
      writeMap(out, value, `${indent}  `);
    }
  } else outside();
}

/** A block list at `indent` (`- ` then a scalar, or a map whose keys line up after it). */
function writeSeq(out: string[], items: unknown[], indent: string) {
  for (const item of items) {
    if (item === undefined) outside();
    if (isScalarValue(item)) out.push(indent, "- ", scalarText(item, "value"), "\n");
    else if (isRecord(item)) {
      if (Object.values(item).every((v) => v === undefined)) out.push(indent, "- {}\n");
      else {
        out.push(indent, "- ");
        writeMap(out, item, `${indent}  `, true);
      }
    } else outside();
  }
}
