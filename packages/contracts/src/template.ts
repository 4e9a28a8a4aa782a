import { z } from "zod";
import { Label, Name } from "./location";
import { Duration } from "./template-signals";
import {
  type TemplateProtocol,
  TemplateInterface,
  JsonPointer,
  TemplateRequest,
} from "./template-protocols";

export * from "./template-signals";
export * from "./template-protocols";

/*
 * The template document: the versioned, immutable shape of a kind of component (DESIGN.md §2, §6).
 * The node executes a template's functions exactly as declared, so every request, parse and output
 * shape here is complete: nothing is left for the node to guess. The authoring guide is
 * docs/guides/templates.md; the JSON Schema generated from these schemas is
 * docs/reference/template.schema.json.
 */
// ---------------------------------------------------------------------------------------------
// Outputs: a raw value from the answer, turned into one signal's value.
// ---------------------------------------------------------------------------------------------

/** A walk row's index as the instance: `{index}`. */
export const INDEX_INSTANCE = "{index}";

const MappedValue = z.union([z.string(), z.number(), z.boolean()]);

export const TemplateOutput = z
  .object({
    signal: Name.describe("The signal produced, a name in the signal catalog."),
    from: z
      .string()
      .min(1)
      .max(500)
      .describe(
        "Where the raw value is: an OID (snmp), a JSON pointer (http json, qrc), a named group (text, http text), `value`, `char:N` or `field:N` (pjlink), `reachable` or `rtt` (icmp).",
      ),
    instance: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        "The series' instance: a fixed name (`mic-1`), or `{index}` for a walk row's index. Omitted: the component's single series.",
      ),
    map: z
      .record(z.string(), MappedValue)
      .optional()
      .describe(
        "Raw value (as text) → value. A raw value missing from the map is an error for this output.",
      ),
    scale: z
      .number()
      .optional()
      .describe("Multiply the (numeric) raw value, e.g. 0.01 for hundredths of a second."),
    per: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe(
        "Divide by the raw value at this location (same answer, same row) before scaling: used ÷ size × 100 = %.",
      ),
    plus: z
      .array(
        z.object({
          from: z.string().min(1).max(500).describe("Another raw value in the same answer."),
          scale: z.number().describe("Its multiplier."),
        }),
      )
      .max(10)
      .optional()
      .describe(
        "Further raw values added after scaling, each times its own scale (days·86400 + hours·3600 + …).",
      ),
    counter: z
      .union([z.literal(32), z.literal(64)])
      .optional()
      .describe(
        "The raw value is a counter of this many bits (SNMP Counter32, Counter64) that only grows: the output is its change per second, times `scale` (8 turns octets into bits per second). The node derives it from two successive readings, across a wrap at 2^bits; the first reading after the node starts, and an interval in which the device restarted (its sysUpTime went back), give no value rather than a spike.",
      ),
  })
  .describe(
    "One raw value → one signal. value = (raw[from] ÷ raw[per]) × scale + Σ raw[plus.from] × plus.scale, or map[raw] when `map` is given, or (with `counter`) the raw counter's change per second × scale.",
  );
export type TemplateOutput = z.infer<typeof TemplateOutput>;

export const TemplateFunction = z
  .object({
    name: Name.describe("The function's name, unique in the template."),
    description: z.string().trim().min(1).max(1000).optional(),
    interface: Name.describe("The interface it uses, by name."),
    interval: Duration.describe("How often it runs."),
    request: TemplateRequest,
    outputs: z.array(TemplateOutput).min(1).max(100).describe("The signals it produces."),
  })
  .describe(
    "A collection function: every `interval`, send `request` and map the answer to signals.",
  );
export type TemplateFunction = z.infer<typeof TemplateFunction>;

// ---------------------------------------------------------------------------------------------
// Rules and dependency hints.
// ---------------------------------------------------------------------------------------------

export const Severity = z.enum(["info", "warning", "critical"]);
export type Severity = z.infer<typeof Severity>;

const Cel = z.string().trim().min(1).max(2000);

export const TemplateRule = z
  .object({
    name: Name.describe("The rule's name, unique in the template."),
    severity: Severity,
    fire: Cel.describe(
      'A CEL expression over `signals` (the owner\'s current values for one instance, by signal name): `signals["lamp-status"] == "error"`.',
    ),
    clear: Cel.optional().describe("A CEL expression that clears; omitted: when `fire` is false."),
    for: Duration.optional().describe("How long `fire` must hold before the alarm opens."),
    description: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .describe("What it means and what to do, for the operator."),
  })
  .describe("A default event rule applied to every component on this template.");
export type TemplateRule = z.infer<typeof TemplateRule>;

export const TemplateDependency = z
  .object({
    kind: Name.describe(
      "The kind of component, in the same system, this one depends on (`control-processor`, `network-switch`).",
    ),
    reason: z.string().trim().min(1).max(500).describe("Why: what breaks when it is down."),
  })
  .describe(
    "A dependency hint: when that component is down, this one's alarms are explained by it.",
  );
export type TemplateDependency = z.infer<typeof TemplateDependency>;

// ---------------------------------------------------------------------------------------------
// The document.
// ---------------------------------------------------------------------------------------------

const PROTOCOL_OUTPUT_FROM: Record<TemplateProtocol, string> = {
  icmp: "`reachable` or `rtt`",
  snmp: "one of the request's OIDs or columns",
  http: "a JSON pointer (format json) or a named group of the pattern (format text)",
  pjlink: "`value`, `char:N` or `field:N`",
  qrc: "a JSON pointer into the result",
  text: "a named group of the pattern",
};

function namedGroups(pattern: string): Set<string> {
  return new Set([...pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((match) => match[1]!));
}

/** Whether `from` names a raw value the request's answer has; the reason when it does not. */
function checkFrom(request: TemplateRequest, from: string): string | null {
  const expected = `must be ${PROTOCOL_OUTPUT_FROM[request.protocol]}`;
  switch (request.protocol) {
    case "icmp":
      return from === "reachable" || from === "rtt" ? null : expected;
    case "snmp": {
      const oids = request.operation === "get" ? request.oids : request.columns;
      return oids.includes(from) ? null : `${expected} (${oids.join(", ")})`;
    }
    case "pjlink":
      return /^(value|char:\d+|field:\d+)$/.test(from) ? null : expected;
    case "qrc":
      return JsonPointer.safeParse(from).success ? null : expected;
    case "http":
      if (request.format === "json") {
        return JsonPointer.safeParse(from).success ? null : expected;
      }
      return namedGroups(request.pattern ?? "").has(from) ? null : expected;
    case "text":
      return namedGroups(request.pattern).has(from) ? null : expected;
  }
}

function duplicates(names: string[]): Map<string, number> {
  const seen = new Set<string>();
  const repeated = new Map<string, number>();
  names.forEach((name, index) => {
    if (seen.has(name)) repeated.set(name, index);
    seen.add(name);
  });
  return repeated;
}

export const TemplateDocument = z
  .object({
    name: Name.describe("The template's name, e.g. `pjlink-projector`."),
    version: z
      .number()
      .int()
      .min(1)
      .describe("The version; a published version never changes, a change is a new version."),
    label: Label.describe("A short name for humans."),
    description: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .describe("What kind of device this is for and what it reads."),
    kind: Name.describe(
      "The kind of component: display, projector, dsp, codec, control-processor, network-switch, room-pc, …",
    ),
    vendor: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .describe("The vendor, or null when generic."),
    model: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .nullable()
      .describe("The model, or null when generic."),
    interfaces: z.array(TemplateInterface).min(1).max(20),
    functions: z.array(TemplateFunction).min(1).max(100),
    rules: z.array(TemplateRule).max(100).default([]),
    dependencies: z.array(TemplateDependency).max(20).default([]),
  })
  .superRefine((doc, ctx) => {
    const lists = [
      ["interfaces", doc.interfaces.map((item) => item.name)],
      ["functions", doc.functions.map((item) => item.name)],
      ["rules", doc.rules.map((item) => item.name)],
      ["dependencies", doc.dependencies.map((item) => item.kind)],
    ] as const;
    for (const [list, names] of lists) {
      for (const [name, index] of duplicates([...names])) {
        ctx.addIssue({
          code: "custom",
          path: [list, index, list === "dependencies" ? "kind" : "name"],
          message: `"${name}" appears more than once in ${list}`,
        });
      }
    }

    const interfaces = new Map(doc.interfaces.map((item) => [item.name, item]));
    doc.functions.forEach((fn, index) => {
      const target = interfaces.get(fn.interface);
      if (!target) {
        ctx.addIssue({
          code: "custom",
          path: ["functions", index, "interface"],
          message: `no interface named "${fn.interface}" (interfaces: ${[...interfaces.keys()].join(", ")})`,
        });
        return;
      }
      const request = fn.request;
      if (request.protocol !== target.protocol) {
        ctx.addIssue({
          code: "custom",
          path: ["functions", index, "request", "protocol"],
          message: `interface "${target.name}" speaks ${target.protocol}, not ${request.protocol}`,
        });
        return;
      }
      if (request.protocol === "http" && request.format === "text" && !request.pattern) {
        ctx.addIssue({
          code: "custom",
          path: ["functions", index, "request", "pattern"],
          message: "format text needs a pattern",
        });
      }
      const regex =
        request.protocol === "text" || (request.protocol === "http" && request.format === "text")
          ? { pattern: request.pattern, flags: request.flags }
          : undefined;
      if (regex?.pattern !== undefined) {
        try {
          new RegExp(regex.pattern, regex.flags);
        } catch (error) {
          ctx.addIssue({
            code: "custom",
            path: ["functions", index, "request", "pattern"],
            message: `not a valid regular expression: ${(error as Error).message}`,
          });
        }
      }
      const isWalk = request.protocol === "snmp" && request.operation === "walk";
      const series = new Set<string>();
      fn.outputs.forEach((output, position) => {
        const at = ["functions", index, "outputs", position];
        for (const [field, from] of [
          ["from", output.from],
          ["per", output.per],
          ...(output.plus ?? []).map((term, termIndex) => [`plus.${termIndex}.from`, term.from]),
        ] as const) {
          if (from === undefined) continue;
          const problem = checkFrom(request, from);
          if (problem) {
            ctx.addIssue({
              code: "custom",
              path: [
                ...at,
                ...field.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
              ],
              message: problem,
            });
          }
        }
        if (output.counter !== undefined && (output.map || output.per || output.plus)) {
          ctx.addIssue({
            code: "custom",
            path: [...at, "counter"],
            message: "a counter's rate is scaled only; it does not combine with map, per or plus",
          });
        }
        if (output.map && (output.scale !== undefined || output.per || output.plus)) {
          ctx.addIssue({
            code: "custom",
            path: [...at, "map"],
            message: "map gives the value itself; it does not combine with scale, per or plus",
          });
        }
        if (output.instance !== undefined) {
          if (output.instance === INDEX_INSTANCE) {
            if (!isWalk) {
              ctx.addIssue({
                code: "custom",
                path: [...at, "instance"],
                message: "{index} is the row of an SNMP walk; this request is not a walk",
              });
            }
          } else if (!Name.safeParse(output.instance).success) {
            ctx.addIssue({
              code: "custom",
              path: [...at, "instance"],
              message: "a fixed instance is a name (lowercase letters, digits, dashes) or {index}",
            });
          }
        } else if (isWalk && !request.filter) {
          ctx.addIssue({
            code: "custom",
            path: [...at, "instance"],
            message:
              "a walk output needs an instance: {index} for one series per row (or a filter that keeps a single row)",
          });
        }
        const key = `${output.signal}\u0000${output.instance ?? ""}`;
        if (series.has(key)) {
          ctx.addIssue({
            code: "custom",
            path: [...at, "signal"],
            message: `the function already produces ${output.signal}${output.instance ? ` for ${output.instance}` : ""}`,
          });
        }
        series.add(key);
      });
    });
  })
  .describe(
    "An Omniglass template: the versioned, immutable shape of a kind of component — its interfaces, collection functions, default rules and dependency hints.",
  )
  .meta({ id: "TemplateDocument" });
export type TemplateDocument = z.infer<typeof TemplateDocument>;
/** A document as written (defaults not yet applied). */
export type TemplateDocumentInput = z.input<typeof TemplateDocument>;

/** Where the template JSON Schema is published in the repository and what identifies it. */
export const TEMPLATE_SCHEMA_ID = "urn:omniglass:schema:template";

/**
 * The JSON Schema (draft 2020-12) of a template document as written, for editors and CI:
 * docs/reference/template.schema.json is this, generated. Cross-field checks (an interface that
 * exists, a `from` the answer has) are in TemplateDocument only.
 */
export function templateJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(TemplateDocument, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "throw",
  }) as Record<string, unknown>;
  // The document's OpenAPI name (its meta id) files it under $defs behind a $ref: the root of
  // this file is the document itself.
  const { $schema, $ref, $defs, ...rest } = generated;
  const { TemplateDocument: document, ...defs } = ($defs ?? {}) as Record<string, object>;
  return {
    $schema,
    $id: TEMPLATE_SCHEMA_ID,
    title: "Omniglass template document",
    ...($ref === "#/$defs/TemplateDocument" && document ? document : rest),
    ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}),
  };
}
