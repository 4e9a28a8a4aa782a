import { z } from "zod";
import { ListInput, Timestamp } from "./common";
import { Name } from "./location";
import { Version } from "./system";

export const BindingKind = z.enum(["tag", "variable"]);
export type BindingKind = z.infer<typeof BindingKind>;

export const BindingLevel = z
  .enum(["platform", "location", "system", "component"])
  .describe("Where in the cascade the binding sits.");
export type BindingLevel = z.infer<typeof BindingLevel>;

/**
 * A typed address of something tags and variables bind to: `platform`, `location.<ref>`,
 * `system.<ref>` or `component.<ref>`, where the ref is an id, a unique name or a dotted path.
 */
export const Target = z
  .string()
  .min(1)
  .max(1100)
  .regex(
    /^(platform|(location|system|component)\..+)$/,
    "platform, location.<ref>, system.<ref> or component.<ref>",
  )
  .describe(
    "`platform`, `location.<ref>`, `system.<ref>` or `component.<ref>` (ref: id, unique name or dotted path), e.g. `system.campus.hq.floor-1.av`.",
  );

const MAX_VARIABLE_BYTES = 16 * 1024;

export const TagValue = z.string().min(1).max(200).describe("A string of at most 200 characters.");

export const VariableValue = z
  .unknown()
  .refine((value) => value !== undefined && value !== null, {
    message: "a JSON value (null is not one: delete the variable to unset it)",
  })
  .refine(
    (value) => new TextEncoder().encode(JSON.stringify(value) ?? "").length <= MAX_VARIABLE_BYTES,
    { message: "at most 16 KiB serialized as JSON" },
  )
  .describe("Any JSON value up to 16 KiB serialized.");

/** Where a binding sits: its level, the canonical address and the path of what it is bound to. */
const Placement = {
  level: BindingLevel,
  target: z.string().describe("The canonical address: `platform` or `<level>.<path>`."),
  path: z
    .string()
    .nullable()
    .describe("The dotted path of what it is bound to; null for the platform."),
};

function bindingOf<V extends z.ZodType>(value: V) {
  return z.object({
    id: z.uuid(),
    key: z.string(),
    value,
    ...Placement,
    version: z.number().int().positive(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  });
}

export const Tag = bindingOf(z.string()).meta({ id: "Tag" });
export type Tag = z.infer<typeof Tag>;
const Secret = z
  .boolean()
  .describe(
    "A secret variable (a device credential): stored encrypted, never returned — `value` is null.",
  );
export const Variable = bindingOf(z.unknown()).extend({ secret: Secret }).meta({ id: "Variable" });
export type Variable = z.infer<typeof Variable>;

export const ListBindingsInput = ListInput.extend({
  target: Target.optional().describe(
    "The bindings set directly on this target; without it, every binding you may read, by key.",
  ),
});
export type ListBindingsInput = z.infer<typeof ListBindingsInput>;

export const SetTagInput = z.object({
  target: Target,
  key: Name,
  value: TagValue,
  version: Version,
});
export type SetTagInput = z.infer<typeof SetTagInput>;

const MAX_SECRET_CHARS = 4096;

export const SetVariableInput = z
  .object({
    target: Target,
    key: Name,
    value: VariableValue,
    secret: z
      .boolean()
      .default(false)
      .describe(
        "Store the value encrypted (a password, community or token: a string); it is never returned by a read, only delivered to the node that polls with it.",
      ),
    version: Version,
  })
  .superRefine((input, ctx) => {
    if (input.secret && (typeof input.value !== "string" || input.value.length > MAX_SECRET_CHARS))
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `a secret is a string of at most ${MAX_SECRET_CHARS} characters`,
      });
  });
// The input shape (`secret` optional), so callers in the gateway need not spell the default.
export type SetVariableInput = z.input<typeof SetVariableInput>;

export const DeleteBindingInput = z.object({ target: Target, key: Name });
export type DeleteBindingInput = z.infer<typeof DeleteBindingInput>;

export const ExplainBindingsInput = z.object({
  target: Target,
  key: Name.optional().describe("Only this key."),
});
export type ExplainBindingsInput = z.infer<typeof ExplainBindingsInput>;

function explanationOf<V extends z.ZodType>(value: V, secrets = false) {
  const secret = secrets ? { secret: Secret } : {};
  const Source = z.object({
    id: z.uuid(),
    value,
    ...secret,
    ...Placement,
    version: z.number().int(),
  });
  return z.object({
    target: z.object(Placement),
    items: z.array(
      z.object({
        key: z.string(),
        ...secret,
        value: value.describe("The effective value: the winner's."),
        winner: Source.describe("The most specific binding of the key."),
        shadowed: z.array(Source).describe("The bindings it overrides, most specific first."),
      }),
    ),
  });
}

/** The effective tags of a target, each with the binding that won and the ones it shadowed. */
export const TagExplanation = explanationOf(z.string()).meta({ id: "TagExplanation" });
export type TagExplanation = z.infer<typeof TagExplanation>;
export const VariableExplanation = explanationOf(z.unknown(), true).meta({
  id: "VariableExplanation",
});
export type VariableExplanation = z.infer<typeof VariableExplanation>;

/** The shapes of one kind: tags carry strings, variables any JSON. */
export type BindingOf<K extends BindingKind> = K extends "tag" ? Tag : Variable;
export type SetInputOf<K extends BindingKind> = K extends "tag" ? SetTagInput : SetVariableInput;
export type ExplanationOf<K extends BindingKind> = K extends "tag"
  ? TagExplanation
  : VariableExplanation;
