import { describe, expect, it } from "vitest";
import { problemsOf } from "./rule-format";

describe("problemsOf", () => {
  it("keeps the line and column the API sends as fields, by field", () => {
    const error = {
      data: {
        fieldErrors: [
          {
            field: "rule.fire",
            message: "Unexpected end (at line 2, column 17)",
            line: 2,
            column: 17,
          },
          { field: "sustainSeconds", message: "Too big" },
        ],
      },
    };
    const problems = problemsOf(error);
    expect(problems.get("fire")).toEqual({
      message: "Unexpected end (at line 2, column 17)",
      line: 2,
      column: 17,
    });
    expect(problems.get("sustainSeconds")).toEqual({ message: "Too big" });
  });
  it("never reads a position out of the message text", () => {
    const problems = problemsOf({
      data: { fieldErrors: [{ field: "fire", message: "x (at line 3, column 4)" }] },
    });
    expect(problems.get("fire")).toEqual({ message: "x (at line 3, column 4)" });
  });
  it("is empty for an error without field problems", () => {
    expect(problemsOf(new Error("network")).size).toBe(0);
    expect(problemsOf(null).size).toBe(0);
  });
});
