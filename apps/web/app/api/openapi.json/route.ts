import { buildOpenApiDocument } from "@omniglass/api";
import { readEnv } from "~/env";

export const dynamic = "force-dynamic";

let document: string | null = null;

/** The OpenAPI 3.1 document of /api/v1, generated from the procedures (once per process). */
export function GET() {
  document ??= JSON.stringify(buildOpenApiDocument({ version: readEnv().version }));
  return new Response(document, { headers: { "content-type": "application/json" } });
}
