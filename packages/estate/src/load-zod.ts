import type { z } from "zod";

/* Schema introspection: the shape a zod schema expects at a node, for key checks. */

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}
export const defOf = (schema: z.ZodType): Def =>
  (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Schemas are fixed: their unwrapped form and map option are worked out once each. */
const unwrapped = new WeakMap<z.ZodType, z.ZodType>();
const mapOptions = new WeakMap<z.ZodType, z.ZodType | null>();

export function unwrap(schema: z.ZodType): z.ZodType {
  let found = unwrapped.get(schema);
  if (found === undefined) {
    found = unwrapOnce(schema);
    unwrapped.set(schema, found);
  }
  return found;
}

function unwrapOnce(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (
      def.innerType &&
      ["optional", "default", "nullable", "readonly", "prefault", "catch"].includes(def.type)
    ) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) current = def.in;
    else return current;
  }
}

const SCALAR_TYPES = new Set([
  "string",
  "number",
  "int",
  "boolean",
  "literal",
  "enum",
  "null",
  "bigint",
  "date",
  "template_literal",
]);

/** The one object option of a union that a map can be (null when none, or a free-form one). */
export function mapOption(union: z.ZodType): z.ZodType | null {
  let found = mapOptions.get(union);
  if (found === undefined) {
    found = mapOptionOnce(union);
    mapOptions.set(union, found);
  }
  return found;
}

function mapOptionOnce(union: z.ZodType): z.ZodType | null {
  const options = (defOf(union).options ?? []).map(unwrap);
  const maps = options.filter(
    (option) => !SCALAR_TYPES.has(defOf(option).type) && defOf(option).type !== "array",
  );
  if (maps.length !== 1) return null;
  const only = maps[0]!;
  const type = defOf(only).type;
  if (type === "union") return mapOption(only);
  return type === "object" ? only : null;
}
