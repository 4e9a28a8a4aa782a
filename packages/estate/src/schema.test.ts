import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { estateJsonSchema, EstateDocument, SECTIONS } from "./schema";

const SCHEMA_FILE = fileURLToPath(
  new URL("../../../docs/reference/estate.schema.json", import.meta.url),
);

describe("the published estate schema", () => {
  it("equals the zod schema (regenerate with `pnpm gen:estate-schema`)", () => {
    const committed: unknown = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(estateJsonSchema());
    expect(committed).toMatchObject({
      $id: "urn:omniglass:schema:estate",
      title: "Omniglass estate file",
      additionalProperties: false,
    });
  });

  it("declares every section the loader reads, and nothing else at the top", () => {
    const top = Object.keys(EstateDocument.shape).sort();
    expect(top).toEqual(
      [
        ...Object.keys(SECTIONS),
        "version",
        "include",
        "tags",
        "variables",
        "silenceDefaults",
        "grants",
      ].sort(),
    );
    const schema = estateJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(top);
  });
});
