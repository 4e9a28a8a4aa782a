import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { OmniglassError } from "@omniglass/domain";
import { toProblem, toPublicError, toTRPCError } from "./errors";

describe("toPublicError", () => {
  it("keeps a domain error's code, message and fields through tRPC", () => {
    const domain = new OmniglassError("CONFLICT", "a location named hq exists", {
      fieldErrors: [{ field: "name", message: "taken" }],
    });
    const trpc = toTRPCError(domain);
    expect(trpc.code).toBe("CONFLICT");
    expect(trpc.cause).toBe(domain);
    expect(toPublicError(trpc)).toEqual({
      code: "CONFLICT",
      status: 409,
      title: "Conflict",
      detail: "a location named hq exists",
      fieldErrors: [{ field: "name", message: "taken" }],
    });
  });

  it("turns a zod failure into INVALID naming each field", () => {
    const parsed = z
      .object({ page_size: z.number().max(500), filter: z.object({ name: z.string() }) })
      .safeParse({
        page_size: 9000,
        filter: { name: 3 },
      });
    const error = new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    const result = toPublicError(error);
    expect(result).toMatchObject({ code: "INVALID", status: 400 });
    expect(result.fieldErrors.map((f) => f.field)).toEqual(["page_size", "filter.name"]);
    expect(result.detail).toBe("Invalid input: page_size, filter.name");
  });

  it("never passes on the message of an unexpected error", () => {
    const error = new TRPCError({
      code: "INTERNAL_SERVER_ERROR",
      message:
        'relation "secret_table" does not exist: select * from secret_table\n    at query (/srv/x.ts:1:1)',
    });
    const result = toPublicError(error);
    expect(result.status).toBe(500);
    expect(result.code).toBe("INTERNAL");
    expect(result.detail).not.toMatch(/secret_table|select|\.ts/);
  });

  it("maps transport codes to their HTTP statuses", () => {
    expect(toPublicError(new TRPCError({ code: "NOT_FOUND" })).status).toBe(404);
    expect(toPublicError(new TRPCError({ code: "METHOD_NOT_SUPPORTED" })).status).toBe(405);
    expect(toPublicError(new TRPCError({ code: "UNSUPPORTED_MEDIA_TYPE" })).status).toBe(415);
    expect(toPublicError(new TRPCError({ code: "PARSE_ERROR" }))).toMatchObject({
      status: 400,
      code: "INVALID",
    });
    expect(toPublicError(new TRPCError({ code: "TOO_MANY_REQUESTS" })).status).toBe(429);
  });
});

describe("toProblem", () => {
  it("writes an RFC 9457 body, with errors only when there are field errors", () => {
    const withFields = toProblem(
      {
        code: "INVALID",
        status: 400,
        title: "Invalid request",
        detail: "bad",
        fieldErrors: [{ field: "a", message: "b" }],
      },
      "req-1",
    );
    expect(withFields).toEqual({
      type: "urn:omniglass:problem:invalid",
      title: "Invalid request",
      status: 400,
      detail: "bad",
      code: "INVALID",
      requestId: "req-1",
      errors: [{ field: "a", message: "b" }],
    });
    const plain = toProblem(
      { code: "NOT_FOUND", status: 404, title: "Not found", detail: "no", fieldErrors: [] },
      "req-2",
    );
    expect(plain).not.toHaveProperty("errors");
    expect(
      toProblem({ ...plain, fieldErrors: [], code: "STALE_PLAN", title: "Stale plan" }, "r").type,
    ).toBe("urn:omniglass:problem:stale-plan");
  });
});
