import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, createRepeatGate, describeError, scrubText } from "./index";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, logger: createLogger({ process: "test", destination }) };
}

describe("createLogger", () => {
  it("writes one JSON line per event with level, time, process and request id", () => {
    const { lines, logger } = capture();
    logger.child({ requestId: "req-1" }).info("hello");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      process: "test",
      requestId: "req-1",
      msg: "hello",
    });
    expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
  });

  it("censors secret keys at the top level, one level down and in headers", () => {
    const { raw, logger } = capture();
    logger.info(
      {
        password: "hunter2-top",
        user: { password: "hunter2-nested", token: "og_abcdefghijklmnop" },
        req: { headers: { cookie: "og_session=cookie-value", authorization: "Bearer xyz" } },
        secretKey: "c2VjcmV0LWtleQ==",
        // An estate apply's request (`${env:NAME}` values) and answer (generated endpoint secrets).
        input: { id: "plan", secrets: { PAGER_SECRET: "whsec_estate-supplied" } },
        generatedSecrets: [{ address: "endpoint.pager", secret: "whsec_estate-generated" }],
      },
      "signed in",
    );
    const text = raw.join("\n");
    for (const secret of [
      "hunter2-top",
      "hunter2-nested",
      "og_abcdefghijklmnop",
      "cookie-value",
      "xyz",
      "c2VjcmV0LWtleQ==",
      "whsec_estate-supplied",
      "whsec_estate-generated",
    ])
      expect(text).not.toContain(secret);
  });

  it("drops SQL parameters and statements from errors, at any depth of cause", () => {
    const { raw, logger } = capture();
    const pgError = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      parameters: ["p4ssw0rd-param", "og_tokentokentoken"],
    });
    const drizzle = Object.assign(
      new Error(
        "Failed query: insert into principal (name, hash) values ($1, $2)\nparams: p4ssw0rd-param,og_tokentokentoken",
      ),
      {
        query: "insert into principal (name, hash) values ($1, $2)",
        params: ["p4ssw0rd-param"],
        cause: pgError,
      },
    );
    logger.error({ err: drizzle }, "write failed");
    logger.warn(`write failed: ${drizzle.message}`);
    const text = raw.join("\n");
    expect(text).not.toContain("p4ssw0rd-param");
    expect(text).not.toContain("og_tokentokentoken");
    expect(text).not.toContain("insert into principal");
    expect(text).toContain("duplicate key value");
    expect(text).toContain("23505");
  });

  it("scrubs credentials out of message text", () => {
    expect(scrubText("connect postgres://omniglass:s3cr3t@127.0.0.1:5433/db failed")).toBe(
      "connect postgres://omniglass:***@127.0.0.1:5433/db failed",
    );
    expect(scrubText("sent Bearer og_1234567890abcdef")).toBe("sent Bearer ***");
    expect(scrubText("token ogs_1234567890abcdef")).toBe("token ogs_***");
    expect(scrubText("rotated to whsec_QUJDREVGR0hJSktMTU5PUA==")).toBe("rotated to whsec_***");
    expect(
      describeError(new Error("Failed query: select $1\nparams: x", { cause: new Error("boom") })),
    ).toBe("query failed (statement and parameters not logged): boom");
  });
});

describe("createRepeatGate", () => {
  it("logs the first failure, then once per interval with a count, then once when it clears", () => {
    let now = 0;
    const { lines, logger } = capture();
    const gate = createRepeatGate(logger, { intervalMs: 60_000, now: () => now });
    for (let i = 0; i <= 240; i++) {
      gate.fail("database", {}, "database unreachable");
      now += 250;
    }
    gate.clear("database", "database answers again");
    expect(lines.map((l) => l.msg)).toEqual([
      "database unreachable",
      "database unreachable (repeated 240 times in the last 60 s)",
      "database answers again after 241 failure(s)",
    ]);
  });
});
