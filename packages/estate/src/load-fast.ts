import { Document, LineCounter, parseDocument } from "yaml";

/*
 * A fast reader for the block form `estate import` writes: block maps and lists, plain and
 * quoted one-line scalars, one-line flow lists of scalars, `{}` and comment lines. It builds the
 * same `yaml` nodes `parseDocument` does (same values, same start offsets, same line index), so
 * everything after it — key checks, positions, diagnostics — runs unchanged. `yaml`'s own
 * lexer, parser and composer take ~50 s on the 100,000-component bench estate; this takes a
 * fraction of it. Anything outside the subset (anchors, tags, block scalars, multi-line or
 * escaped scalars, flow maps, comments after a value, tabs, CR, documents markers, …) answers
 * null and the caller parses the file with `parseDocument` instead.
 */

export interface FastParse {
  doc: Document;
  lines: LineCounter;
}

/*
 * Light nodes: what the loader reads of `yaml`'s — the node kind (`isMap`, `isSeq`, `isScalar`,
 * `isPair` look at a symbol, here on the prototype), `items`, `key`/`value`, `flow`, `range[0]`
 * (where the node starts) and `toJS`. `yaml`'s own classes define that symbol on every instance,
 * which costs more than the whole read at this size.
 */
const NODE_TYPE = Symbol.for("yaml.node.type");

class Scalar {
  constructor(
    public value: unknown,
    private readonly start: number,
  ) {}
  get range(): [number, number, number] {
    return [this.start, this.start, this.start];
  }
  toJS(): unknown {
    return this.value;
  }
  /** What `yaml`'s `toJS` of the document (or of a parent node) calls. */
  toJSON(): unknown {
    return this.toJS();
  }
}

class Pair {
  constructor(
    public key: Scalar,
    public value: Node,
  ) {}
}

class YAMLMap {
  readonly items: Pair[] = [];
  flow = false;
  constructor(private readonly start: number) {}
  get range(): [number, number, number] {
    return [this.start, this.start, this.start];
  }
  toJS(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    // Keys are strings other than `__proto__` (the reader refuses the rest): a later duplicate
    // replaces the value in place, as `yaml` does.
    for (const { key, value } of this.items) out[key.value as string] = value.toJS();
    return out;
  }
  toJSON(): unknown {
    return this.toJS();
  }
}

class YAMLSeq {
  readonly items: Node[] = [];
  flow = false;
  constructor(private readonly start: number) {}
  get range(): [number, number, number] {
    return [this.start, this.start, this.start];
  }
  toJS(): unknown[] {
    return this.items.map((item) => item.toJS());
  }
  toJSON(): unknown {
    return this.toJS();
  }
}

type Node = Scalar | YAMLMap | YAMLSeq;

for (const [type, kind] of [
  [Scalar, "scalar"],
  [Pair, "pair"],
  [YAMLMap, "map"],
  [YAMLSeq, "seq"],
] as const)
  Object.defineProperty(type.prototype, NODE_TYPE, { value: Symbol.for(`yaml.${kind}`) });

/** Why the reader gave up (thrown inside, caught at the top: the file goes to `yaml`). */
class OutsideSubset extends Error {}
const outside = (): never => {
  throw new OutsideSubset();
};

/** A line with content: its first character, first non-space character and end (by offset). */
interface Line {
  start: number;
  content: number;
  end: number;
  indent: number;
}

const INT = /^[-+]?[0-9]+$/;
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** Plain texts `yaml`'s core schema reads as something else than a string or an int. */
const OTHER_CORE =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/;
/** A plain scalar may not start with these (`?` and `:`: see below). */
const INDICATOR = new Set([..."?:,[]{}#&*!|>'\"%@`"]);

/** The value `yaml`'s core schema gives a plain scalar's text. */
function plainValue(text: string): string | number | boolean | null {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === "t" || text[0] === "T";
  if (INT.test(text)) {
    const n = parseInt(text, 10);
    return Number.isSafeInteger(n) ? n : outside();
  }
  if (OTHER_CORE.test(text)) outside();
  return text;
}

/** Characters `yaml` treats specially or refuses (control, BOM, Unicode line breaks). */
const SPECIAL = /[\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** A plain scalar's text as it stands in block context, checked against the subset. */
function checkPlain(text: string, flow: boolean): string {
  if (text === "" || SPECIAL.test(text)) return outside();
  const first = text[0]!;
  // `-`, `?` and `:` may start a plain scalar when a non-space follows them.
  if (first === "-" || first === "?" || first === ":") {
    if (text.length === 1 || text[1] === " " || (flow && /[,[\]{}]/.test(text[1]!))) outside();
  } else if (INDICATOR.has(first)) outside();
  if (text.includes(" #") || text.includes(": ") || text.endsWith(":") || text.includes("\t"))
    outside();
  if (flow && /[,[\]{}]/.test(text)) outside();
  if (text !== text.trimEnd()) outside();
  return text;
}

/** A double-quoted scalar from `open` (its quote) on one line; its value and where it ends. */
function doubleQuoted(text: string, open: number, end: number): [string, number] {
  let out = "";
  let i = open + 1;
  while (i < end) {
    const c = text[i]!;
    if (c === '"') return SPECIAL.test(text.slice(open, i)) ? outside() : [out, i + 1];
    if (c === "\\") {
      const e = text[i + 1];
      const simple: Record<string, string> = {
        "\\": "\\",
        '"': '"',
        "/": "/",
        n: "\n",
        t: "\t",
        r: "\r",
        b: "\b",
        f: "\f",
        "0": "\0",
        " ": " ",
      };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === "x" || e === "u" || e === "U") {
        const size = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + size);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== size) outside();
        const code = parseInt(hex, 16);
        // Lone surrogates and the like: `yaml` decides those.
        if (code >= 0xd800 && code <= 0xdfff) outside();
        out += String.fromCodePoint(code);
        i += 2 + size;
      } else outside();
      continue;
    }
    if (c === "\t") outside();
    out += c;
    i++;
  }
  return outside();
}

/** A single-quoted scalar from `open` on one line. */
function singleQuoted(text: string, open: number, end: number): [string, number] {
  let out = "";
  let i = open + 1;
  while (i < end) {
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return SPECIAL.test(text.slice(open, i)) ? outside() : [out, i + 1];
    }
    if (c === "\t") outside();
    out += c;
    i++;
  }
  return outside();
}

function scalarAt(value: unknown, start: number, _end: number): Scalar {
  return new Scalar(value, start);
}

/** Nothing but spaces from `from` to `end`. */
function restBlank(text: string, from: number, end: number) {
  for (let i = from; i < end; i++) if (text.charCodeAt(i) !== 32) outside();
}

class Reader {
  /** The lines with content (not blank, not a comment), three offsets each. */
  private readonly offsets: number[] = [];
  private at = 0;

  constructor(
    private readonly text: string,
    readonly counter: LineCounter,
  ) {
    const { length } = text;
    let start = 0;
    while (start <= length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = length;
      counter.addNewLine(start);
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      const c = text[content];
      if (c === "\t" || c === "\r" || text.charCodeAt(end - 1) === 13) outside();
      // Blank lines and whole-line comments carry no node.
      if (content < end && c !== "#") {
        if (content === start && (text.startsWith("---", start) || text.startsWith("...", start)))
          outside();
        if (c === "%") outside();
        this.offsets.push(start, content, end);
      }
      if (end === length) break;
      start = end + 1;
    }
  }

  private get count() {
    return this.offsets.length / 3;
  }

  /** The `i`th line with content, or undefined past the last. */
  private line(i: number): Line | undefined {
    if (i >= this.count) return undefined;
    const [start, content, end] = [
      this.offsets[3 * i]!,
      this.offsets[3 * i + 1]!,
      this.offsets[3 * i + 2]!,
    ];
    return { start, content, end, indent: content - start };
  }

  read(): YAMLMap | YAMLSeq | null {
    const first = this.line(0);
    if (!first || first.indent !== 0) return outside();
    // An estate file is a map: anything else goes to `yaml` (and the loader's diagnostic).
    if (this.text.startsWith("- ", first.content) || this.isLoneDash(first.content)) outside();
    const node = this.block(0, first.content);
    if (this.at !== this.count) outside();
    return node;
  }

  /** A block collection whose first entry starts at `from` on the current line, indented `indent`. */
  private block(indent: number, from: number): YAMLMap | YAMLSeq {
    return this.text.startsWith("- ", from) || this.isLoneDash(from)
      ? this.seq(indent, from)
      : this.map(indent, from);
  }

  private isLoneDash(from: number) {
    const line = this.line(this.at)!;
    return this.text[from] === "-" && from + 1 === line.end;
  }

  private seq(indent: number, from: number): YAMLSeq {
    const seq = new YAMLSeq(from);
    let first = true;
    for (;;) {
      const line = this.line(this.at);
      if (!line || line.indent < indent) break;
      if (line.indent > indent) outside();
      const dash = first ? from : line.content;
      if (!first && dash !== line.start + indent) outside();
      if (!this.text.startsWith("- ", dash)) outside();
      first = false;
      let item = dash + 2;
      while (item < line.end && this.text.charCodeAt(item) === 32) item++;
      if (item >= line.end) outside();
      const c = this.text[item]!;
      if (c === "-" && this.text.startsWith("- ", item)) outside();
      // `- key: value` opens a compact map whose other keys are indented as `key`.
      const key = c === "[" || c === "{" ? null : this.keyEnd(item, line.end);
      if (key !== null) {
        const before = this.at;
        seq.items.push(this.map(item - line.start, item));
        if (this.at === before) outside();
      } else {
        seq.items.push(this.inlineValue(item, line.end, false));
        this.at++;
        this.noDeeper(indent);
      }
    }
    return seq;
  }

  /**
   * Where the key starting at `from` ends (its colon), when the line holds `key: …` or `key:`;
   * null when it is a scalar. Quoted keys included.
   */
  private keyEnd(from: number, end: number): number | null {
    const { text } = this;
    const c = text[from];
    let after: number;
    if (c === '"') after = doubleQuoted(text, from, end)[1];
    else if (c === "'") after = singleQuoted(text, from, end)[1];
    else {
      let i = from;
      for (; i < end; i++) {
        if (text.charCodeAt(i) === 58 && (i + 1 === end || text.charCodeAt(i + 1) === 32)) break;
      }
      return i < end ? i : null;
    }
    while (after < end && text.charCodeAt(after) === 32) after++;
    if (text.charCodeAt(after) === 58 && (after + 1 === end || text.charCodeAt(after + 1) === 32))
      return after;
    if (after < end) outside();
    return null;
  }

  private map(indent: number, from: number): YAMLMap {
    const map = new YAMLMap(from);
    let first = true;
    for (;;) {
      const line = this.line(this.at);
      if (!line) break;
      // The first key may follow a `- ` on a line indented less than the map.
      if (!first && line.indent < indent) break;
      const keyStart = first ? from : line.content;
      if (!first) {
        if (line.indent > indent) outside();
        // A list at its key's indent (`key:` then `- a` below it, not indented): not ours.
        if (this.text.startsWith("- ", keyStart) || this.isLoneDash(keyStart)) outside();
      }
      first = false;
      const colon = this.keyEnd(keyStart, line.end);
      if (colon === null) outside();
      const key = this.keyNode(keyStart, colon!);
      let value = colon! + 1;
      while (value < line.end && this.text.charCodeAt(value) === 32) value++;
      if (value < line.end) {
        if (this.text[value] === "#") outside();
        map.items.push(new Pair(key, this.inlineValue(value, line.end, true)));
        this.at++;
        this.noDeeper(indent);
      } else {
        // `key:` then a block below it, indented deeper.
        this.at++;
        const next = this.line(this.at);
        if (!next || next.indent <= indent) outside();
        map.items.push(new Pair(key, this.block(next!.indent, next!.content)));
      }
    }
    return map;
  }

  private keyNode(from: number, colon: number): Scalar {
    const { text } = this;
    const c = text[from];
    if (c === '"' || c === "'") {
      const [value, after] =
        c === '"' ? doubleQuoted(text, from, colon + 1) : singleQuoted(text, from, colon + 1);
      return scalarAt(value, from, after);
    }
    const raw = checkPlain(text.slice(from, colon), false);
    const value = plainValue(raw);
    // Keys other than strings (numbers, booleans, null): `yaml` decides how they read.
    if (typeof value !== "string" || value === "__proto__" || value === "<<") outside();
    return scalarAt(value, from, colon);
  }

  /** A value that ends on its line: a scalar, `[a, b]` or `{}`. */
  private inlineValue(from: number, end: number, inMap: boolean): Scalar | YAMLSeq | YAMLMap {
    const { text } = this;
    const c = text[from]!;
    if (c === '"' || c === "'") {
      const [value, after] =
        c === '"' ? doubleQuoted(text, from, end) : singleQuoted(text, from, end);
      restBlank(text, after, end);
      return scalarAt(value, from, after);
    }
    if (c === "[" || c === "{") {
      const [node, after] = this.flow(from, end);
      restBlank(text, after, end);
      return node;
    }
    let stop = end;
    while (stop > from && text.charCodeAt(stop - 1) === 32) stop--;
    const raw = checkPlain(text.slice(from, stop), false);
    if (!inMap && this.keyEnd(from, end) !== null) outside();
    return scalarAt(plainValue(raw), from, stop);
  }

  /**
   * A flow collection on one line from `from` (its bracket): `[a, b]`, `{ a: b, c: [d] }`,
   * nested; plain scalars in it hold no `:` (nor `,[]{}`). Its node and where it ends.
   */
  private flow(from: number, end: number): [YAMLSeq | YAMLMap, number] {
    const { text } = this;
    const isMap = text[from] === "{";
    const close = isMap ? "}" : "]";
    const node = isMap ? new YAMLMap(from) : new YAMLSeq(from);
    node.flow = true;
    let i = from + 1;
    const skip = () => {
      while (i < end && text.charCodeAt(i) === 32) i++;
    };
    const item = (): Scalar | YAMLSeq | YAMLMap => {
      const c = text[i];
      if (c === undefined || i >= end) return outside();
      if (c === "[" || c === "{") {
        const [inner, after] = this.flow(i, end);
        i = after;
        return inner;
      }
      if (c === '"' || c === "'") {
        const [value, after] = c === '"' ? doubleQuoted(text, i, end) : singleQuoted(text, i, end);
        const scalar = scalarAt(value, i, after);
        i = after;
        return scalar;
      }
      let stop = i;
      while (stop < end && !",[]{}:".includes(text[stop]!)) stop++;
      let last = stop;
      while (last > i && text.charCodeAt(last - 1) === 32) last--;
      const raw = checkPlain(text.slice(i, last), true);
      const scalar = scalarAt(plainValue(raw), i, last);
      i = last;
      return scalar;
    };
    skip();
    if (text[i] === close) {
      return [node, i + 1];
    }
    for (;;) {
      skip();
      const start = i;
      const first = item();
      skip();
      if (isMap) {
        // `key: value` (the key a string scalar; `key` alone or `key:` then nothing: not ours).
        if (!(first instanceof Scalar) || typeof first.value !== "string") outside();
        if (text[i] !== ":" || text.charCodeAt(i + 1) !== 32) outside();
        const key = first as Scalar;
        if (key.value === "__proto__" || key.value === "<<") outside();
        i += 1;
        skip();
        if (text[i] === "," || text[i] === close) outside();
        (node as YAMLMap).items.push(new Pair(key, item()));
        skip();
      } else {
        if (text[i] === ":") outside();
        (node as YAMLSeq).items.push(first);
      }
      if (i === start) outside();
      if (text[i] === ",") {
        i++;
        skip();
        if (text[i] === close || text[i] === ",") outside();
        continue;
      }
      if (text[i] === close) {
        return [node, i + 1];
      }
      return outside();
    }
  }

  /** After a value ending on its line: nothing may continue it on a deeper line. */
  private noDeeper(indent: number) {
    const next = this.line(this.at);
    if (next && next.indent > indent) outside();
  }
}

/**
 * The file as `parseDocument(text, { uniqueKeys: false })` reads it, when it is in the subset
 * `estate import` writes; null otherwise (parse it with `yaml`).
 */
export function fastParse(text: string): FastParse | null {
  const lines = new LineCounter();
  try {
    const contents = new Reader(text, lines).read();
    const doc = new Document(null, { uniqueKeys: false });
    doc.contents = contents as unknown as Document["contents"];
    return { doc, lines };
  } catch (error) {
    if (error instanceof OutsideSubset) return null;
    throw error;
  }
}

/** A file's nodes and line index: the fast reader's when it is in its subset, else `yaml`'s. */
export function parseFile(text: string): FastParse {
  const fast = fastParse(text);
  if (fast) return fast;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  return { doc, lines };
}
