import { Option, type Command } from "commander";
import { z } from "zod";
import { InputError } from "./errors";

/**
 * A command's flags as a zod shape: each key becomes `--kebab-key`, its description the help
 * text; a key that refuses `undefined` is mandatory, one that takes `null` gets `--no-key` to
 * clear it, one that takes `true` is a switch. Parsing the shape yields the procedure's input
 * with its types, so commands hand the typed client exactly what it declares.
 */

export type FlagShape = Record<string, z.ZodType>;
export type FlagValues<S extends FlagShape> = z.output<z.ZodObject<S>>;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const WholeNumber = z
  .string()
  .regex(/^-?\d+$/, "must be a whole number")
  .transform(Number);

/** JSON text; the server checks it against its contract and names the field when it is wrong. */
const jsonText = <T>() =>
  z.string().transform((text, ctx): T => {
    try {
      return JSON.parse(text); // any: the server checks it against the procedure's contract
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return z.NEVER;
    }
  });

export const flag = {
  required: (description: string) => z.string().describe(description),
  text: (description: string) => z.string().optional().describe(description),
  clearable: (description: string) => z.string().nullable().optional().describe(description),
  int: (description: string) => WholeNumber.optional().describe(description),
  clearableInt: (description: string) => WholeNumber.nullable().optional().describe(description),
  json: <T>(description: string) => jsonText<T>().optional().describe(description),
  clearableJson: <T>(description: string) =>
    jsonText<T>().nullable().optional().describe(description),
  /** A comma-separated list. */
  list: (description: string) =>
    z
      .string()
      .transform((text) => text.split(",").map((item) => item.trim()))
      .optional()
      .describe(description),
  /** One of a few words; required unless `optional`. */
  choice: <const V extends readonly [string, ...string[]]>(values: V, description: string) =>
    z.enum(values).describe(`${description} (${values.join(", ")})`),
  optionalChoice: <const V extends readonly [string, ...string[]]>(
    values: V,
    description: string,
  ) =>
    z
      .enum(values)
      .optional()
      .describe(`${description} (${values.join(", ")})`),
  switch: (description: string) => z.boolean().optional().describe(description),
};

const isSwitch = (schema: z.ZodType) => schema.safeParse(true).success;

export function addFlags(command: Command, shape: FlagShape): Command {
  for (const [key, schema] of Object.entries(shape)) {
    const name = kebab(key);
    const isRequired = !schema.safeParse(undefined).success;
    const option = new Option(
      isSwitch(schema) ? `--${name}` : `--${name} <value>`,
      `${schema.description ?? ""}${isRequired ? " (required)" : ""}`,
    );
    if (isRequired) option.makeOptionMandatory();
    command.addOption(option);
    if (!isSwitch(schema) && schema.safeParse(null).success)
      command.addOption(new Option(`--no-${name}`, `clear ${name}`));
  }
  return command;
}

/** The flags given, parsed by their shape: `--no-x` is null, an absent flag is left out. */
export function parseFlags<S extends FlagShape>(shape: S, options: object): FlagValues<S> {
  const given = new Map<string, unknown>(Object.entries(options));
  const input: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const value = given.get(key);
    if (value === undefined) continue;
    input[key] = value === false && !isSwitch(schema) ? null : value;
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success)
    throw new InputError(
      "invalid flags",
      result.error.issues.map((issue) => `--${kebab(String(issue.path[0]))}: ${issue.message}`),
    );
  return result.data;
}

/** `--version <n>`: the version read, so a stale change is refused (409). */
export function versionOf(options: { version?: string }): number | undefined {
  if (options.version === undefined) return undefined;
  const n = Number(options.version);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError("--version must be a positive whole number");
  return n;
}
