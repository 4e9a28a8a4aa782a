import { describe, expect, it } from "vitest";
import { OmniglassError } from "./errors";
import { parseFilter } from "./filter";

describe("parseFilter", () => {
  const fields = ["kind", "location"] as const;

  it("reads field=value terms separated by spaces or AND", () => {
    expect(parseFilter(undefined, fields)).toEqual({});
    expect(parseFilter("  ", fields)).toEqual({});
    expect(parseFilter("kind=display location=campus.hq", fields)).toEqual({
      kind: "display",
      location: "campus.hq",
    });
    expect(parseFilter("kind=display AND location=hq", fields)).toEqual({
      kind: "display",
      location: "hq",
    });
  });

  it("names the filter field and what it accepts on bad input", () => {
    for (const bad of ["colour=red", "kind", "=x", "kind=", "kind=a kind=b"]) {
      let error: unknown;
      try {
        parseFilter(bad, fields);
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(OmniglassError);
      const e = error as OmniglassError;
      expect(e.code).toBe("INVALID");
      expect(e.fieldErrors[0]?.field).toBe("filter");
      expect(e.fieldErrors[0]?.message).toContain("kind=…, location=…");
    }
  });
});
