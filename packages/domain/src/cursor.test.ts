import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";
import { OmniglassError } from "./errors";

describe("page tokens", () => {
  it("round-trip the sort key of the last row", () => {
    const values = ["2026-11-22T10:00:00.000Z", "01936f2c-0000-7000-8000-000000000001", 42];
    const token = encodeCursor(values);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, 3)).toEqual(values);
  });

  it("reject a token the list did not issue, naming page_token", () => {
    const foreign = [
      "%%%not-base64%%%",
      Buffer.from("not json").toString("base64url"),
      encodeCursor(["only-one"]),
      Buffer.from(JSON.stringify({ a: 1 })).toString("base64url"),
      Buffer.from(JSON.stringify([{ a: 1 }, "x"])).toString("base64url"),
      Buffer.from(JSON.stringify([null, "x"])).toString("base64url"),
    ];
    for (const token of foreign) {
      let caught: unknown;
      try {
        decodeCursor(token, 2);
      } catch (error) {
        caught = error;
      }
      expect(caught, token).toBeInstanceOf(OmniglassError);
      expect((caught as OmniglassError).code).toBe("INVALID");
      expect((caught as OmniglassError).fieldErrors.map((f) => f.field)).toEqual(["page_token"]);
    }
  });
});
