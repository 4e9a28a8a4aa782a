import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Assessment, assessmentJsonSchema, CONTRADICTION_KINDS } from "./assessment";

const SCHEMA_FILE = fileURLToPath(
  new URL("../../../docs/reference/assessment.schema.json", import.meta.url),
);

describe("the published assessment schema", () => {
  it("equals the zod contract (regenerate with `pnpm gen:assessment-schema`)", () => {
    const committed: unknown = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(assessmentJsonSchema());
    expect(committed).toMatchObject({
      $id: "urn:omniglass:schema:assessment",
      title: "Omniglass assessment",
      $ref: "#/$defs/Assessment",
    });
  });

  it("names every contradiction kind and every top-level field", () => {
    const text = readFileSync(SCHEMA_FILE, "utf8");
    for (const kind of CONTRADICTION_KINDS) expect(text).toContain(`"${kind}"`);
    for (const field of Object.keys(Assessment.shape)) expect(text).toContain(`"${field}"`);
  });
});
