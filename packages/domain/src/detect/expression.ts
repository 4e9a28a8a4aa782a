import { Environment } from "@marcbachmann/cel-js";
import { OmniglassError } from "../errors";

/**
 * Event-rule expressions: CEL over one owner's current values for one instance.
 *
 * - `signals["temperature"]` — the current value (a number, string, boolean or JSON value);
 * - `fresh["temperature"]` — whether it arrived within its expected interval;
 * - `age["temperature"]` — seconds since it was observed;
 * - `previous["temperature"]` — the value before the current one.
 *
 * A key that is absent (never seen) makes the expression *undecided*: it neither fires nor
 * clears. An expression must be boolean; anything else is refused when the rule is saved.
 */
export interface RuleContext {
  signals: Record<string, unknown>;
  fresh: Record<string, boolean>;
  age: Record<string, number>;
  previous: Record<string, unknown>;
}

export const COMPONENT_RULE_VARIABLES = ["signals", "fresh", "age", "previous"] as const;

const environment = new Environment({ unlistedVariablesAreDyn: false })
  .registerVariable("signals", "map")
  .registerVariable("fresh", "map")
  .registerVariable("age", "map")
  .registerVariable("previous", "map");

/**
 * Words CEL reserves or uses as built-in names: `value.type` parses, then fails, because `type`
 * names CEL's type function. Such a field is written with an index instead: `value["type"]`.
 */
const RESERVED = new Set([
  "as",
  "break",
  "const",
  "continue",
  "else",
  "false",
  "for",
  "function",
  "if",
  "import",
  "in",
  "let",
  "loop",
  "package",
  "namespace",
  "null",
  "return",
  "true",
  "var",
  "void",
  "while",
  "type",
  "int",
  "uint",
  "double",
  "bool",
  "string",
  "bytes",
  "list",
  "map",
  "dyn",
  "has",
  "size",
]);

export interface CompiledExpression {
  source: string;
  /** Signal names the expression reads through `signals[…]`, `fresh[…]`, `age[…]`, `previous[…]`. */
  signals: string[];
  /** true or false; null when undecided (a value it reads is absent, or a type does not fit). */
  evaluate(context: RuleContext): boolean | null;
}

/** Strips string literals (keeping their length) so a scan sees only code. */
function codeOnly(source: string): string {
  return source.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (s) => " ".repeat(s.length));
}

/** 1-based line and column of a 0-based offset. */
function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function invalid(field: string, source: string, offset: number, message: string): never {
  const at = position(source, offset);
  const where = `line ${at.line}, column ${at.column}`;
  throw new OmniglassError("INVALID", `${field}: ${message} (at ${where}).`, {
    fieldErrors: [{ field, message: `${message} (at ${where})`, line: at.line, column: at.column }],
  });
}

/**
 * Parses and type-checks `source` in a CEL `environment` for the rule field `field`: a field
 * named with a reserved word, a syntax or type error, or a non-boolean result throws INVALID
 * naming the field and the position. Shared by the component and the system environments.
 */
export function checkExpression(
  env: Environment,
  field: string,
  source: string,
  foreign: { variables: readonly string[]; hint: string } | null = null,
): ReturnType<Environment["parse"]> {
  const code = codeOnly(source);
  if (foreign) {
    const word = new RegExp(`(?<![.\\w])(${foreign.variables.join("|")})\\b`, "g");
    const m = word.exec(code);
    if (m) invalid(field, source, m.index, `\`${m[1]}\` ${foreign.hint}`);
  }
  const member = /\.\s*([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = member.exec(code); m; m = member.exec(code)) {
    const word = m[1]!;
    if (RESERVED.has(word)) {
      invalid(
        field,
        source,
        m.index + m[0].indexOf(word),
        `\`${word}\` is a reserved word in CEL and cannot be used as a field name; write ["${word}"] instead (e.g. value["${word}"])`,
      );
    }
  }
  let parsed: ReturnType<Environment["parse"]>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    const cel = error as { summary?: string; message: string; range?: { start?: number } };
    invalid(field, source, cel.range?.start ?? 0, (cel.summary ?? cel.message).split("\n")[0]!);
  }
  const checked = parsed.check() as {
    valid: boolean;
    type?: string;
    error?: { summary?: string; message?: string; range?: { start?: number } };
  };
  if (!checked.valid) {
    const summary = checked.error?.summary ?? checked.error?.message ?? "does not type-check";
    invalid(field, source, checked.error?.range?.start ?? 0, summary.split("\n")[0]!);
  }
  if (checked.type !== "bool" && checked.type !== "dyn") {
    invalid(field, source, 0, `must be true or false, not ${checked.type}`);
  }
  return parsed;
}

/**
 * Compiles `source` for the rule field `field` (`fire`, `clear`), or throws INVALID naming the
 * field, the position and what to write instead.
 */
export function compileExpression(field: string, source: string): CompiledExpression {
  const parsed = checkExpression(environment, field, source, {
    variables: ["roles", "members", "verdict"],
    hint: 'is a system-rule variable; a component rule reads signals, fresh, age and previous (or save it with ownerKind "system")',
  });
  const signals = new Set<string>();
  const read = new RegExp(
    `\\b(?:${COMPONENT_RULE_VARIABLES.join("|")})\\s*\\[\\s*"([^"]+)"\\s*\\]`,
    "g",
  );
  for (let m = read.exec(source); m; m = read.exec(source)) signals.add(m[1]!);
  return {
    source,
    signals: [...signals].sort(),
    evaluate(context) {
      try {
        const result = parsed(toCel(context) as Record<string, unknown>);
        return typeof result === "boolean" ? result : null;
      } catch {
        return null;
      }
    },
  };
}

/** CEL compares int and double; whole numbers stay JS numbers (doubles) so `> 70` just works. */
function toCel(context: RuleContext): Record<string, unknown> {
  return {
    signals: context.signals,
    fresh: context.fresh,
    age: context.age,
    previous: context.previous,
  };
}
