import { describe, expect, it } from "vitest";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import { CAMPUS, ENTRY, roomFile } from "./__fixtures__/campus";
import { stateOf } from "./__fixtures__/state";
import { exportEstate } from "./export";
import type { EstateObject } from "./model";
import { loadEstate, readerOf } from "./load";
import { fastParse } from "./load-fast";

/** The `yaml` reading the loader falls back to. */
function full(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  return { doc, lines };
}

/** Every node: kind, start offset, flow style, scalar value; pairs by key and value. */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isPair(node)) return { key: shape(node.key), value: shape(node.value) };
  const at = (node as { range?: number[] }).range?.[0];
  if (isScalar(node)) return { scalar: node.value, at };
  if (isMap(node)) return { map: node.items.map(shape), at, flow: Boolean(node.flow) };
  if (isSeq(node)) return { seq: node.items.map(shape), at, flow: Boolean(node.flow) };
  return { other: String(node) };
}

/** The fast reading is the `yaml` one, node for node, and so are the line positions. */
function expectSame(text: string) {
  const fast = fastParse(text);
  expect(fast, "in the subset").not.toBeNull();
  const slow = full(text);
  expect(slow.doc.errors).toEqual([]);
  expect(shape(fast!.doc.contents)).toEqual(shape(slow.doc.contents));
  expect(fast!.doc.toJS({ maxAliasCount: 100 })).toEqual(slow.doc.toJS({ maxAliasCount: 100 }));
  for (let offset = 0; offset <= text.length; offset += Math.max(1, text.length >> 9))
    expect(fast!.lines.linePos(offset)).toEqual(slow.lines.linePos(offset));
}

const exported = (files: Record<string, string>) => {
  const loaded = loadEstate("estate.yaml", readerOf(files));
  expect(loaded.diagnostics).toEqual([]);
  return exportEstate(stateOf(loaded.model.objects))[0]!.text;
};

describe("the fast reader of the import's block form", () => {
  it("reads an export exactly as yaml does", () => {
    expectSame(exported(CAMPUS));
  });

  it("reads a larger export with values that need quoting exactly as yaml does", () => {
    const awkward = [
      "true",
      "123",
      "a: b",
      "#x",
      "x #y",
      "",
      " lead",
      "trail ",
      "é ü",
      'q"q',
      "it's",
      "[x]",
      "{y}",
      "- z",
      "null",
      "1.5",
      "0x10",
      "~",
      "a,b",
      "@at",
      "`tick",
      "%p",
      "*star",
      "&amp",
      "!bang",
      "|pipe",
      ">gt",
      "?q",
      ":c",
      "ctl\u0001",
    ];
    const objects: Record<string, EstateObject> = {};
    for (let r = 0; r < 40; r++) {
      const room = `campus.b1.r${r}`;
      objects[`location.${room}`] = {
        kind: "location",
        spec: {
          type: "room",
          label: awkward[r % awkward.length]!,
          labels: { note: awkward[(r + 7) % awkward.length]! },
          metadata: {
            n: r,
            list: [1, "two", { three: awkward[(r + 3) % awkward.length]! }],
            nested: { deep: { deeper: awkward[(r + 5) % awkward.length]! } },
          },
        },
      } as EstateObject;
      for (let c = 0; c < 5; c++)
        objects[`component.${room}.d${c}`] = {
          kind: "component",
          spec: {
            template: "template.generic-display@2",
            label: awkward[(r + c) % awkward.length]!,
            address: `10.0.${r}.${c}`,
            interfaces: {},
            labels: {},
            metadata: {},
          },
        } as EstateObject;
    }
    objects["location.campus"] = {
      kind: "location",
      spec: { type: "campus", labels: {}, metadata: {} },
    } as EstateObject;
    objects["location.campus.b1"] = {
      kind: "location",
      spec: { type: "building", labels: {}, metadata: {} },
    } as EstateObject;
    const text = exportEstate(stateOf(objects))[0]!.text;
    expectSame(text);
    // A multi-line label is written as a block scalar: outside the subset, read by yaml, and
    // the load gives the same model.
    objects["location.campus"] = {
      kind: "location",
      spec: { type: "campus", label: "two\nlines", labels: {}, metadata: {} },
    } as EstateObject;
    const multi = exportEstate(stateOf(objects))[0]!.text;
    expect(fastParse(multi)).toBeNull();
    // Through the loader, diagnostics included (an empty label is one): the fast reading and
    // yaml's (a `---` marker sends the file to yaml; lines shift by one) agree.
    const fast = loadEstate("estate.yaml", readerOf({ "estate.yaml": text }));
    const slow = loadEstate("estate.yaml", readerOf({ "estate.yaml": `---\n${text}` }));
    expect(fast.diagnostics.length).toBeGreaterThan(0);
    expect(fast.diagnostics.map((d) => ({ ...d, line: d.line + 1 }))).toEqual(slow.diagnostics);
    expect(fast.model).toEqual(slow.model);
  }, 60_000);

  it("reads the hand-written fixtures (flow maps and lists on one line) exactly as yaml does", () => {
    for (const text of [ENTRY, roomFile("north", "101"), ...Object.values(CAMPUS)])
      expectSame(text);
  });

  it("reads each of these exactly as yaml does", () => {
    for (const text of [
      "version: 1\n",
      "a: b\n",
      "a: b", // no final newline
      "# top\n\na:\n  b: c # not a comment inside: c\n".replace(" # not a comment inside: c", ""),
      'a: "x: y # z"\nb: \'it\'\'s\'\nc: "\\u00e9\\t\\"q\\""\n',
      "n: 12\nm: -3\nz: 007\nt: true\nf: False\nnul: null\ntilde: ~\nip: 10.0.0.1\nv: 1.2.3\n",
      "s: [a, 'b, c', \"d\"]\ne: []\nm: {}\nx: { a: [1, 2], b: { c: d } }\n",
      "list:\n  - a\n  - b: c\n    d: e\n  - [f]\n  - { g: h }\n",
      "deep:\n    four:\n        eight: x\n    back: y\n",
      "dup: 1\ndup: 2\n",
      "\"quoted key\": 1\n'single': 2\nwith-dash-1: 3\nwith.dots@2: 4\n",
      "a:\n  # a comment between\n  b: c\n\n\n  d: e\n",
      "plain: with spaces   \n",
    ])
      expectSame(text);
  });

  it("leaves anything outside the subset to yaml", () => {
    for (const text of [
      "a: &x 1\nb: *x\n", // anchors and aliases
      "a: !!str 1\n", // tags
      "a: |\n  block\n", // block scalars
      "a: >-\n  folded\n",
      "a: b\n  continued\n", // multi-line plain
      'a: "two\n  lines"\n',
      "a: 1 # comment after a value\n",
      "---\na: 1\n", // document markers
      "%YAML 1.2\n---\na: 1\n",
      "a:\n\tb: 1\n", // tabs
      "a: 1\r\nb: 2\r\n", // CR
      "a:\n", // a null value
      "a:\n- b\n", // a list at its key's indent
      "1: one\n", // keys that are not strings
      "true: yes\n",
      "x: 0x1F\n", // the core schema's other numbers
      "x: 1.5\n",
      "x: .inf\n",
      "x: 1e3\n",
      "x: 99999999999999999999\n",
      "x: { a: http://h }\n", // a colon in a flow scalar
      "x: [a, [b, c]\n", // unclosed
      "? complex\n: key\n",
      "a: b: c\n", // an error yaml names
      "",
      "- top-level list\n",
      "\ufeffversion: 1\n", // a byte-order mark
      "a: x\u2028y\n", // a Unicode line break
      "a: 'x\u0001'\n", // a control character
      "a: b\u0085\n",
    ])
      expect(fastParse(text), JSON.stringify(text)).toBeNull();
  });

  it("gives the same model, sources and diagnostics through loadEstate as yaml does", () => {
    const text = exported(CAMPUS);
    // Same loader, once through the fast reader and once with every file outside it (a
    // trailing comment line is in the subset; a `---` marker at the top is not).
    const fast = loadEstate("estate.yaml", readerOf({ "estate.yaml": text }));
    const slow = loadEstate("estate.yaml", readerOf({ "estate.yaml": `---\n${text}` }));
    expect(fast.diagnostics).toEqual([]);
    expect(fast.model).toEqual(slow.model);
    const shift = (source: { line: number }) => ({ ...source, line: source.line + 1 });
    expect(Object.fromEntries(Object.entries(fast.sources).map(([a, s]) => [a, shift(s)]))).toEqual(
      slow.sources,
    );
  });
});
