import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CAMPUS } from "./__fixtures__/campus";
import { stateOf } from "./__fixtures__/state";
import { exportEstate } from "./export";
import { directText, yamlText } from "./export-writer";
import { loadEstate, readerOf } from "./load";

const HEADER = " Omniglass estate, written by `omniglass estate import`.";

/** The direct writer's text is yaml's, and it did not fall back. */
function expectSame(root: Record<string, unknown>, header = HEADER) {
  const direct = directText(root, header);
  expect(direct, "in the subset").not.toBeNull();
  expect(direct).toBe(yamlText(root, header));
}

const AWKWARD = [
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
  "a:b",
  "-5",
  "-x",
  "x:",
  "yes",
  "NaN",
  "1e3",
  "1_000",
  "2026-01-01",
  "10.20.0.1",
  "a\\b",
  "two  spaces",
  "1st",
  "/path",
  "(x)",
  "x+y",
  "Room 1 AV",
  "tab\there",
  "\u2028",
  ".hidden",
  "_u",
  "a.b@2",
];

describe("the import's direct YAML writer", () => {
  it("writes an export exactly as yaml does", () => {
    const loaded = loadEstate("estate.yaml", readerOf(CAMPUS));
    const text = exportEstate(stateOf(loaded.model.objects))[0]!.text;
    const root = parse(text) as Record<string, unknown>;
    expectSame(root);
    expect(yamlText(root, HEADER)).toBe(text);
    expectSame(root, `${HEADER}\n Subtree: location.campus.north (and a second line).`);
  });

  it("writes every shape and awkward string exactly as yaml does", () => {
    const root: Record<string, unknown> = {
      version: 1,
      tags: Object.fromEntries(AWKWARD.map((s, i) => [`k${i}`, s])),
      // A key starting with `?` is left to yaml (it could read as an explicit key).
      keys: Object.fromEntries(
        AWKWARD.filter((s) => s !== "" && !s.startsWith("?")).map((s, i) => [s, i]),
      ),
      flow: { list: AWKWARD, empty: [], mixed: [1, true, null, "x", -3] },
      metadata: {
        empty: {},
        nested: { deep: { deeper: { deepest: "x" } } },
        items: [{ a: 1, b: { c: [1, 2] } }, "scalar", { d: {} }, {}, { e: [{ f: 1 }] }],
        numbers: [0, -1, 42, 9007199254740991],
        booleans: { t: true, f: false, n: null },
      },
    };
    expectSame(root);
  });

  it("leaves to yaml what is outside its subset, and the text is still yaml's", () => {
    for (const value of ["two\nlines", 1.5, -0, [[1, 2]], [undefined], 2 ** 60])
      expect(directText({ k: value } as Record<string, unknown>, HEADER)).toBeNull();
  });
});
