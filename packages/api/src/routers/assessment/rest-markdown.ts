import { Assessment } from "@omniglass/contracts";
import { renderAssessmentMarkdown } from "@omniglass/gateway";
import type { Context } from "../../context";
import { handleRestRequest, REST_BASE_PATH } from "../../rest";

/** The path the assessment is served at (GET), in front of the generated REST surface. */
export const ASSESSMENT_PATH = `${REST_BASE_PATH}/assessment`;

export const MARKDOWN = "text/markdown; charset=utf-8";

/**
 * GET /api/v1/assessment: the procedure through the same REST handler as every other (the same
 * authentication, validation and problem+json errors); with `format=md` its answer is rendered
 * as Markdown — the same content, `text/markdown; charset=utf-8`. Errors stay problem+json.
 */
export async function handleAssessmentRequest(req: Request, context: Context): Promise<Response> {
  const response = await handleRestRequest(req, context);
  const format = new URL(req.url).searchParams.get("format");
  if (req.method !== "GET" || format !== "md" || response.status !== 200) return response;
  const assessment = Assessment.parse(await response.json());
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  headers.set("content-type", MARKDOWN);
  return new Response(renderAssessmentMarkdown(assessment), { status: 200, headers });
}

interface OpenApiOperation {
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/**
 * The OpenAPI document says what the route answers: the JSON schema, and with `format=md` the
 * same content as text/markdown (the adapter documents JSON only).
 */
export function documentAssessmentMarkdown(paths: Record<string, unknown> | undefined): void {
  const operation = (paths?.["/assessment"] as { get?: OpenApiOperation } | undefined)?.get;
  const ok = operation?.responses?.["200"];
  if (!ok?.content) return;
  ok.content["text/markdown"] = {
    schema: {
      type: "string",
      description:
        "With format=md: the same assessment as Markdown (headings per location, system and component; tables for samples, alarms and contradictions).",
    },
  };
}
