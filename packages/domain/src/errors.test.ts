import { describe, expect, it } from "vitest";
import { ERROR_CODES, isErrorCode, OmniglassError } from "./errors";

describe("OmniglassError", () => {
  it("carries its code, the code's status, field errors and the cause", () => {
    const cause = new Error("underlying");
    const error = new OmniglassError("CONFLICT", "name taken", {
      cause,
      fieldErrors: [{ field: "name", message: "taken" }],
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.status).toBe(409);
    expect(error.cause).toBe(cause);
    expect(error.fieldErrors).toEqual([{ field: "name", message: "taken" }]);
    expect(new OmniglassError("NOT_FOUND", "no").fieldErrors).toEqual([]);
  });

  it("maps every code to a client or server status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(new OmniglassError(code as keyof typeof ERROR_CODES, "x").status).toBe(status);
      expect(status >= 400 && status < 600, code).toBe(true);
    }
    expect(isErrorCode("INVALID")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("BOGUS")).toBe(false);
  });
});
