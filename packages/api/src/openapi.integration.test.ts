import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { buildOpenApiDocument } from "./openapi";

const run = promisify(execFile);
const REDOCLY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../node_modules/.bin/redocly",
);

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument({ version: "1.2.3" });

  it("is OpenAPI 3.1 and passes a real linter (Redocly, recommended rules)", async () => {
    expect(document.openapi).toBe("3.1.0");
    const dir = await mkdtemp(path.join(tmpdir(), "omniglass-openapi-"));
    const file = path.join(dir, "openapi.json");
    await writeFile(file, JSON.stringify(document));
    const result = await run(REDOCLY, ["lint", file, "--format=stylish"], {
      encoding: "utf8",
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const output = `${result.stdout}\n${result.stderr}`;
    expect(output).not.toMatch(/\berror\b/i);
    // The request-body examples are built from the schemas: each must conform to its schema.
    expect(output).not.toContain("no-invalid-media-type-examples");
    expect(output).not.toContain("no-unused-components");
    expect("code" in result ? result.code : 0).toBe(0);
  }, 60_000);

  it("names the contracts' objects once and refers to them (a generated client gets named types)", () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of [
      "Component",
      "ComponentDetail",
      "ComponentPage",
      "System",
      "SystemDetail",
      "SystemPage",
      "Location",
      "LocationListItemPage",
      "TemplateSummary",
      "TemplateVersion",
      "TemplateDocument",
      "Signal",
      "SignalPage",
      "Node",
      "NodePage",
      "Principal",
      "PrincipalDetail",
      "Grant",
      "Token",
      "CreatedToken",
      "Problem",
    ])
      expect(schemas[name], name).toBeDefined();
    expect(Object.keys(schemas).length).toBeGreaterThanOrEqual(60);
    const responseOf = (path: string, method: string) =>
      (
        document.paths as Record<
          string,
          Record<string, { responses: Record<string, { content: Record<string, object> }> }>
        >
      )[path]![method]!.responses["200"]!.content["application/json"];
    expect(responseOf("/components", "get")).toEqual({
      schema: { $ref: "#/components/schemas/ComponentPage" },
    });
    expect(responseOf("/components/{ref}", "get")).toEqual({
      schema: { $ref: "#/components/schemas/ComponentDetail" },
    });
    // Every named schema is used: by an operation or by another schema.
    const text = JSON.stringify(document);
    for (const name of Object.keys(schemas))
      expect(text, name).toContain(`"#/components/schemas/${name}"`);
  });

  it("stays small per operation: shared shapes are named, never inlined again", () => {
    // 468 KB for 60 operations before schemas were named (7.8 KB each); 2.9 KB each with the
    // rules, alarms, health and suppression operations once Timestamp (a 400-character pattern,
    // repeated ~120 times) became a named schema. An inlined TemplateDocument (17 KB) or a
    // pattern repeated again per field breaks this bound long before the document is unusable.
    const operations = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.keys(item as object).filter((k) =>
        ["get", "post", "put", "patch", "delete"].includes(k),
      ),
    );
    const perOperation = JSON.stringify(document).length / operations.length;
    expect(perOperation).toBeLessThan(3_300);
    expect(JSON.stringify(document).match(/\[2468\]\[048\]/g)?.length ?? 0).toBeLessThan(10);
  });

  it("gives every request body an example", () => {
    const bodies = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(
        item as Record<
          string,
          { requestBody?: { content: Record<string, { example?: unknown }> } }
        >,
      ).flatMap(([method, op]) =>
        op.requestBody ? [{ key: `${method.toUpperCase()} ${path}`, body: op.requestBody }] : [],
      ),
    );
    expect(bodies.length).toBeGreaterThanOrEqual(30);
    for (const { key, body } of bodies)
      for (const media of Object.values(body.content)) expect(media.example, key).toBeDefined();
    const login = bodies.find((b) => b.key === "POST /auth/login")!.body;
    expect(login.content["application/json"]!.example).toEqual({
      username: "alice",
      password: "correct horse battery staple",
    });
  });

  it("describes every error as problem+json", () => {
    const operations = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item as object),
    );
    expect(operations.length).toBeGreaterThanOrEqual(3);
    for (const operation of operations as {
      operationId: string;
      responses: Record<string, { content?: object }>;
    }[]) {
      const errors = Object.entries(operation.responses).filter(
        ([status]) => Number(status) >= 400,
      );
      expect(errors.length, operation.operationId).toBeGreaterThan(0);
      for (const [, response] of errors) {
        expect(Object.keys(response.content ?? {}), operation.operationId).toEqual([
          "application/problem+json",
        ]);
      }
    }
    expect(document.components?.schemas?.Problem).toBeDefined();
  });

  it("names the one permission of every protected operation, and marks the public ones", () => {
    const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(
        item as Record<string, { security?: unknown[]; "x-omniglass-permission"?: string }>,
      ).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    const open = operations.filter(({ op }) => op.security?.length === 0).map(({ key }) => key);
    expect(open.sort()).toEqual(["GET /health", "POST /auth/login", "POST /nodes/enroll"]);
    for (const { key, op } of operations) {
      if (open.includes(key)) continue;
      expect(op["x-omniglass-permission"], key).toMatch(/^[a-z][a-z-]*:[a-z][a-z-]*$/);
    }
    expect(
      operations.find((o) => o.key === "DELETE /locations/{ref}")?.op["x-omniglass-permission"],
    ).toBe("location:delete");
  });

  it("lists the data plane's operations, the push API answering 202", () => {
    const paths = document.paths as Record<
      string,
      Record<string, { responses: Record<string, unknown> }>
    >;
    for (const [method, path] of [
      ["post", "/samples"],
      ["post", "/nodes/enroll"],
      ["get", "/nodes/self/worklist"],
      ["get", "/nodes/{ref}/rejections"],
      ["get", "/components/{ref}/values"],
      ["get", "/components/{ref}/samples"],
      ["get", "/components/{ref}/rejections"],
      ["get", "/systems/{ref}/values"],
      ["get", "/systems/{ref}/samples"],
      ["get", "/locations/{ref}/values"],
      ["get", "/locations/{ref}/samples"],
    ] as const)
      expect(paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const push = paths["/samples"]!.post!.responses;
    expect(push["202"]).toBeDefined();
    expect(push["200"]).toBeUndefined();
  });
});
