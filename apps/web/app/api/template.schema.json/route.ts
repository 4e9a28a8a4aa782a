import { templateJsonSchema } from "@omniglass/contracts";

export const dynamic = "force-dynamic";

let schema: string | null = null;

/**
 * The JSON Schema of a template document (the same generator as docs/reference/template.schema.json,
 * which a unit test keeps equal). Public like the OpenAPI document: it describes, it discloses nothing.
 */
export function GET() {
  schema ??= JSON.stringify(templateJsonSchema(), null, 2);
  return new Response(schema, { headers: { "content-type": "application/schema+json" } });
}
