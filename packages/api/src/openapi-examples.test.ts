import { describe, expect, it } from "vitest";
import { exampleOf } from "./openapi-examples";

describe("exampleOf", () => {
  const components = {
    Scope: {
      anyOf: [{ type: "null" }, { type: "object", properties: { kind: { const: "all" } } }],
    },
  };

  it("prefers the schema's own example, default, const and first enum value", () => {
    expect(exampleOf({ type: "string", examples: ["given"] }, {})).toBe("given");
    expect(exampleOf({ type: "integer", default: 50 }, {})).toBe(50);
    expect(exampleOf({ enum: ["outage", "none"] }, {})).toBe("outage");
  });

  it("names values in the product's vocabulary, within the schema's limits", () => {
    expect(
      exampleOf(
        {
          type: "object",
          properties: {
            name: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$" },
            location: { type: "string" },
            version: { type: "integer", minimum: 1 },
            interval: { type: "string", pattern: "^\\d+(ms|s|m|h)$" },
            at: { type: "string", format: "date-time" },
            scope: { $ref: "#/components/schemas/Scope" },
          },
        },
        components,
      ),
    ).toEqual({
      name: "boardroom",
      location: "hq.floor-3",
      version: 1,
      interval: "30s",
      at: "2026-12-01T09:30:00Z",
      scope: { kind: "all" },
    });
    // A vocabulary value that breaks the schema's pattern is not used.
    expect(exampleOf({ type: "string", pattern: "^[A-Z]+$" }, {}, "name")).not.toBe("boardroom");
  });

  it("stops on recursive schemas", () => {
    const loop = {
      Tree: { type: "object", properties: { child: { $ref: "#/components/schemas/Tree" } } },
    };
    expect(() => exampleOf({ $ref: "#/components/schemas/Tree" }, loop)).not.toThrow();
  });
});
