import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { Problem } from "@omniglass/contracts";
import { addRequestBodyExamples } from "./openapi-examples";
import { REST_BASE_PATH } from "./rest";
import { documentAssessmentMarkdown } from "./routers/assessment/rest-markdown";
import { appRouter, listProcedures } from "./root";

interface Operation {
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  "x-omniglass-permission"?: string;
}

/** `POST /samples` → the success status its procedure declares, when not 200. */
function successStatusByOperation(): Map<string, number> {
  const byOperation = new Map<string, number>();
  for (const { meta } of listProcedures()) {
    if (meta.openapi && meta.successStatus)
      byOperation.set(
        `${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`,
        meta.successStatus,
      );
  }
  return byOperation;
}

/** `GET /locations/{ref}` → the capability its procedure declares. */
function permissionsByOperation(): Map<string, string> {
  const byOperation = new Map<string, string>();
  for (const { meta } of listProcedures()) {
    if (meta.openapi && meta.capability) {
      byOperation.set(`${meta.openapi.method.toLowerCase()} ${meta.openapi.path}`, meta.capability);
    }
  }
  return byOperation;
}

/**
 * The OpenAPI 3.1 document of the REST surface, generated from the procedures. Every operation
 * answers errors as problem+json; the adapter's own error schema is replaced by ours.
 */
export function buildOpenApiDocument({
  version,
  serverUrl,
}: {
  version: string;
  serverUrl?: string;
}): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Omniglass API",
    description:
      "Observability and control plane for AV and IT estates. The same procedures serve the console over tRPC and third parties over this REST surface.",
    version,
    openApiVersion: "3.1.0",
    baseUrl: serverUrl ? `${serverUrl}${REST_BASE_PATH}` : REST_BASE_PATH,
    license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    defs: { Problem },
  });
  const problem = {
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
  const usedSchemes = new Set<string>();
  const permissions = permissionsByOperation();
  const successStatuses = successStatusByOperation();
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      const permission = permissions.get(`${method} ${path}`);
      if (permission) operation["x-omniglass-permission"] = permission;
      // The adapter documents every success as 200; some answer otherwise (202 for the push API).
      const success = successStatuses.get(`${method} ${path}`);
      if (success && operation.responses["200"]) {
        operation.responses[String(success)] = operation.responses["200"];
        delete operation.responses["200"];
      }
      // The adapter's error responses are replaced by ours: every error is problem+json.
      for (const status of Object.keys(operation.responses)) {
        if (Number(status) >= 400 || status === "default") {
          const description =
            (operation.responses[status] as { description?: string }).description ?? "Error";
          operation.responses[status] = { description, ...problem };
        }
      }
      // Any request from outside the trusted networks is refused before it reaches a procedure.
      operation.responses["403"] ??= {
        description: "Forbidden (outside the trusted networks)",
        ...problem,
      };
      operation.responses["500"] ??= { description: "Unexpected error", ...problem };
      // An operation open to any caller says so explicitly (an empty requirement list).
      operation.security ??= [];
      for (const requirement of operation.security)
        for (const name of Object.keys(requirement)) usedSchemes.add(name);
    }
  }
  const components = document.components ?? {};
  for (const name of Object.keys(components.schemas ?? {})) {
    if (name.startsWith("error.")) delete components.schemas![name];
  }
  for (const name of Object.keys(components.securitySchemes ?? {})) {
    if (!usedSchemes.has(name)) delete components.securitySchemes![name];
  }
  documentAssessmentMarkdown(document.paths as Record<string, unknown> | undefined);
  addRequestBodyExamples(
    document.paths as Parameters<typeof addRequestBodyExamples>[0],
    (components.schemas ?? {}) as Record<string, Record<string, unknown>>,
  );
  return document;
}
