/**
 * An example for every request body of the OpenAPI document, built from its JSON Schema: the
 * schema's own example or default when it has one, else a value of the product's vocabulary by
 * property name (a location path for `location`, a template for `template`…), else a value of
 * the type and format. Built from the schema, so it is valid against it (Redocly checks that).
 */

type Schema = Record<string, unknown>;

const BY_NAME: Record<string, unknown> = {
  name: "boardroom",
  label: "Boardroom",
  description: "Projector lamp hours, read over PJLink.",
  location: "hq.floor-3",
  parent: "hq",
  ref: "hq.floor-3.boardroom",
  component: "hq.floor-3.boardroom.display",
  system: "hq.floor-3.boardroom",
  template: "pjlink-projector@1",
  role: "displays",
  node: "edge-hq-1",
  target: "location.hq.floor-3",
  key: "building",
  value: "north",
  type: "meeting-room",
  kind: "display",
  address: "10.20.1.10",
  host: "10.20.1.10",
  mac: "aa:bb:cc:dd:ee:ff",
  vendor: "Samsung",
  model: "QM85R",
  serial: "SN-0042",
  username: "alice",
  password: "correct horse battery staple",
  signal: "temperature",
  owner: "hq.floor-3.boardroom.display",
  unit: "°C",
  accepts: ["display"],
  port: 4352,
  version: 1,
  quorum: 1,
};

const BY_FORMAT: Record<string, unknown> = {
  "date-time": "2026-12-01T09:30:00Z",
  uuid: "0192f4c1-7b2a-7c3e-9a41-5d6e7f809a1b",
  email: "alice@example.com",
  uri: "https://example.com/",
};

function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/components/schemas/"))
    return components[ref.slice("#/components/schemas/".length)] ?? {};
  return schema;
}

/** Whether `value` is a plausible instance of a string schema (length and pattern). */
function fitsString(value: unknown, schema: Schema): value is string {
  if (typeof value !== "string") return false;
  if (typeof schema.minLength === "number" && value.length < schema.minLength) return false;
  if (typeof schema.maxLength === "number" && value.length > schema.maxLength) return false;
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value))
    return false;
  return true;
}

export function exampleOf(
  raw: Schema,
  components: Record<string, Schema>,
  property?: string,
  depth = 0,
): unknown {
  const schema = resolve(raw, components);
  if (depth > 8) return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ("example" in schema) return schema.example;
  if ("default" in schema) return schema.default;
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const chosen =
        (options as Schema[]).find((o) => resolve(o, components).type !== "null") ?? options[0];
      return exampleOf(chosen as Schema, components, property, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf))
    return Object.assign(
      {},
      ...(schema.allOf as Schema[]).map((part) => exampleOf(part, components, property, depth + 1)),
    ) as unknown;
  const type = Array.isArray(schema.type)
    ? (schema.type as string[]).find((t) => t !== "null")
    : schema.type;
  const named = property === undefined ? undefined : BY_NAME[property];
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const example: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(properties)) {
        const v = exampleOf(value, components, key, depth + 1);
        if (v !== undefined) example[key] = v;
      }
      return example;
    }
    case "array": {
      if (Array.isArray(named)) return named;
      const item = exampleOf((schema.items ?? {}) as Schema, components, property, depth + 1);
      return item === undefined ? [] : [item];
    }
    case "string": {
      if (fitsString(named, schema)) return named;
      const format = typeof schema.format === "string" ? BY_FORMAT[schema.format] : undefined;
      if (format !== undefined) return format;
      for (const candidate of ["example", "30s", "example-1", "og_example"])
        if (fitsString(candidate, schema)) return candidate;
      return "example";
    }
    case "integer":
    case "number": {
      if (typeof named === "number") return named;
      const min = typeof schema.minimum === "number" ? schema.minimum : undefined;
      const max = typeof schema.maximum === "number" ? schema.maximum : undefined;
      const guess = min ?? (max !== undefined ? Math.min(1, max) : 1);
      return type === "integer" ? Math.ceil(guess) : guess;
    }
    case "boolean":
      return false;
    default:
      return named;
  }
}

interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: unknown;
}

/** Gives every request body that has none an example built from its schema. */
export function addRequestBodyExamples(
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, MediaType> } }>>,
  components: Record<string, Schema>,
): void {
  for (const item of Object.values(paths))
    for (const operation of Object.values(item))
      for (const media of Object.values(operation.requestBody?.content ?? {}))
        if (media.schema && media.example === undefined && media.examples === undefined)
          media.example = exampleOf(media.schema, components);
}
