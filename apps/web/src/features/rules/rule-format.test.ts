import { describe, expect, it } from "vitest";
import { problemPosition } from "./rule-format";

describe("problemPosition", () => {
  it("reads the line and column the API names", () => {
    expect(problemPosition("Unexpected end of input (at line 2, column 17)")).toEqual({
      line: 2,
      column: 17,
    });
  });
  it("is null when the message names no position", () => {
    expect(problemPosition("must be true or false")).toBeNull();
  });
});
