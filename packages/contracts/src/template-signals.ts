/** Durations and the signals a template declares (part of the template document, ./template.ts). */
import { z } from "zod";
import { Label, Name } from "./location";

/** A duration as written in documents: a whole number and a unit, `500ms`, `30s`, `5m`, `1h`. */
export const Duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, "a whole number and a unit: ms, s, m or h (e.g. 30s, 5m)")
  .describe("A duration: a whole number and a unit, ms, s, m or h (`500ms`, `30s`, `5m`, `1h`).");
export type Duration = z.infer<typeof Duration>;

// ---------------------------------------------------------------------------------------------
// Signals: the catalog of measurement names (DESIGN.md §7).
// ---------------------------------------------------------------------------------------------

export const SignalLane = z
  .enum(["metric", "property"])
  .describe(
    "metric: a number that aggregates (unit, precision); property: a value with a duration (string, boolean, integer or JSON).",
  );
export type SignalLane = z.infer<typeof SignalLane>;

export const SignalValueType = z
  .enum(["number", "string", "boolean", "integer", "json"])
  .describe("number for metrics; string, boolean, integer or json for properties.");
export type SignalValueType = z.infer<typeof SignalValueType>;

/** A JSON Schema document (a plain object), used to validate a property's values. */
export const JsonSchemaObject = z
  .record(z.string(), z.unknown())
  .describe("A JSON Schema (draft 2020-12) object, e.g. `{ enum: [on, standby] }`.");

export const SignalDefinition = z
  .object({
    name: Name.describe("The signal's name, unique in the catalog (`power-state`, `cpu-load`)."),
    lane: SignalLane,
    label: Label.describe("A short name for humans."),
    description: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .describe("What the signal measures, and where it comes from."),
    unit: z
      .string()
      .min(1)
      .max(20)
      .nullable()
      .describe("Metrics: the unit (`°C`, `s`, `ms`, `%`, `B`, `dBFS`), or null for a count."),
    precision: z
      .number()
      .int()
      .min(0)
      .max(6)
      .nullable()
      .describe("Metrics: decimal places worth showing; null for properties."),
    valueType: SignalValueType,
    schema: JsonSchemaObject.nullable().describe(
      "Properties: a JSON Schema every value must satisfy (e.g. an enum), or null; null for metrics.",
    ),
  })
  .superRefine((signal, ctx) => {
    if (signal.lane === "metric") {
      if (signal.valueType !== "number") {
        ctx.addIssue({
          code: "custom",
          path: ["valueType"],
          message: "a metric's valueType is number",
        });
      }
      if (signal.schema !== null) {
        ctx.addIssue({ code: "custom", path: ["schema"], message: "a metric has no schema" });
      }
    } else {
      if (signal.valueType === "number") {
        ctx.addIssue({
          code: "custom",
          path: ["valueType"],
          message: "a property's valueType is string, boolean, integer or json",
        });
      }
      if (signal.unit !== null) {
        ctx.addIssue({ code: "custom", path: ["unit"], message: "a property has no unit" });
      }
      if (signal.precision !== null) {
        ctx.addIssue({
          code: "custom",
          path: ["precision"],
          message: "a property has no precision",
        });
      }
    }
  })
  .describe("A registered measurement name with its lane, type and unit.");
export type SignalDefinition = z.infer<typeof SignalDefinition>;
