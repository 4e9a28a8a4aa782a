import { z } from "zod";
import { Label, Name } from "./location";

/*
 * The template document: the versioned, immutable shape of a kind of component (DESIGN.md §2, §6).
 * The node executes a template's functions exactly as declared, so every request, parse and output
 * shape here is complete: nothing is left for the node to guess. The authoring guide is
 * docs/guides/templates.md; the JSON Schema generated from these schemas is
 * docs/reference/template.schema.json.
 */

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

// ---------------------------------------------------------------------------------------------
// Interfaces: how the node reaches the device. The host is the component's address; secrets are
// never written in a template, only the names of the component variables that hold them.
// ---------------------------------------------------------------------------------------------

export const TemplateProtocol = z
  .enum(["icmp", "snmp", "http", "pjlink", "qrc", "text"])
  .describe(
    "icmp echo; snmp v2c; http(s); TCP text protocols: pjlink (PJLink class 1), qrc (Q-SYS Remote Control), text (line-oriented commands).",
  );
export type TemplateProtocol = z.infer<typeof TemplateProtocol>;

const Port = z.number().int().min(1).max(65535);

const VariableName = Name.describe(
  "The name of the component variable that holds the value (the secret itself is never in a template).",
);

const interfaceBase = {
  name: Name.describe("The interface's name, unique in the template; functions refer to it."),
  description: z.string().trim().min(1).max(1000).optional(),
  timeout: Duration.default("5s").describe("How long one request may take."),
};

export const IcmpInterface = z
  .object({
    ...interfaceBase,
    protocol: z.literal("icmp"),
    timeout: Duration.default("2s").describe("How long to wait for each echo reply."),
  })
  .describe("ICMP echo to the component's address.");

export const SnmpInterface = z
  .object({
    ...interfaceBase,
    protocol: z.literal("snmp"),
    port: Port.default(161),
    version: z.literal("2c").default("2c").describe("SNMP version; v2c (community)."),
    community: VariableName.default("snmp-community").describe(
      "The component variable holding the read community.",
    ),
    retries: z.number().int().min(0).max(5).default(1),
  })
  .describe("SNMP v2c over UDP.");

export const HttpAuth = z
  .discriminatedUnion("scheme", [
    z.object({ scheme: z.literal("none") }),
    z.object({
      scheme: z.literal("basic"),
      username: VariableName.describe("The component variable holding the user name."),
      password: VariableName.describe("The component variable holding the password."),
    }),
    z.object({
      scheme: z.literal("bearer"),
      token: VariableName.describe("The component variable holding the token."),
    }),
  ])
  .describe("How requests authenticate.");

export const HttpInterface = z
  .object({
    ...interfaceBase,
    protocol: z.literal("http"),
    port: Port.default(80),
    tls: z.boolean().default(false).describe("https when true."),
    verifyTls: z
      .boolean()
      .default(true)
      .describe("Verify the certificate (turn off only for devices with self-signed ones)."),
    auth: HttpAuth.default({ scheme: "none" }),
  })
  .describe("HTTP or HTTPS to the component's address.");

export const PjlinkInterface = z
  .object({
    ...interfaceBase,
    protocol: z.literal("pjlink"),
    port: Port.default(4352),
    password: VariableName.nullable()
      .default(null)
      .describe(
        "The component variable holding the PJLink password, used when the device greets `PJLINK 1`.",
      ),
  })
  .describe("PJLink class 1 over TCP: `%1CMD ?` answered `%1CMD=value`, CR-terminated.");

export const QrcInterface = z
  .object({
    ...interfaceBase,
    protocol: z.literal("qrc"),
    port: Port.default(1710),
    username: VariableName.nullable()
      .default(null)
      .describe("The component variable holding the Logon user, or null for no Logon."),
    password: VariableName.nullable()
      .default(null)
      .describe("The component variable holding the Logon password."),
  })
  .describe("Q-SYS Remote Control: JSON-RPC 2.0 over TCP, each message terminated by NUL.");

export const TextInterface = z
  .object({
    ...interfaceBase,
    protocol: z.literal("text"),
    port: Port,
    terminator: z
      .string()
      .min(1)
      .max(8)
      .default("\r\n")
      .describe("Appended to every command sent."),
    prompt: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .default(null)
      .describe(
        "A regular expression the device prints when ready (after connecting and after each answer); the answer is everything before it. Null: the answer is one line.",
      ),
  })
  .describe("A line-oriented text console over TCP (e.g. Crestron CTP, Extron SIS).");

export const TemplateInterface = z
  .discriminatedUnion("protocol", [
    IcmpInterface,
    SnmpInterface,
    HttpInterface,
    PjlinkInterface,
    QrcInterface,
    TextInterface,
  ])
  .describe("A way the device can be reached, with its parameters.");
export type TemplateInterface = z.infer<typeof TemplateInterface>;

// ---------------------------------------------------------------------------------------------
// Requests: what a function asks, per protocol. `protocol` must equal its interface's.
// ---------------------------------------------------------------------------------------------

/** A dotted numeric OID without a leading dot, e.g. `1.3.6.1.2.1.1.3.0`. */
export const Oid = z
  .string()
  .regex(/^\d+(\.\d+)+$/, "a dotted numeric OID without a leading dot")
  .describe("A dotted numeric OID without a leading dot (`1.3.6.1.2.1.1.3.0`).");

/** A JSON pointer (RFC 6901), `` (the whole document) or `/a/0/b`. */
export const JsonPointer = z
  .string()
  .regex(/^(\/([^~/]|~[01])*)*$/, "a JSON pointer (RFC 6901) such as /status/power")
  .describe(
    "A JSON pointer (RFC 6901), e.g. `/status/power`; the empty string is the whole value.",
  );

const Regex = z
  .string()
  .min(1)
  .max(1000)
  .describe("A JavaScript regular expression; outputs read its named groups `(?<name>…)`.");

const RegexFlags = z
  .string()
  .regex(/^[imsu]*$/, "regular expression flags from i, m, s, u")
  .default("")
  .describe("Regular expression flags: i (ignore case), m (multiline), s (dot matches newline).");

export const IcmpRequest = z
  .object({
    protocol: z.literal("icmp"),
    count: z.number().int().min(1).max(10).default(3).describe("Echo requests per probe."),
  })
  .describe(
    "Send `count` echo requests. Outputs: `reachable` (true if any reply) and `rtt` (mean round trip in ms, only when reachable).",
  );

export const SnmpGetRequest = z
  .object({
    protocol: z.literal("snmp"),
    operation: z.literal("get"),
    oids: z.array(Oid).min(1).max(50).describe("The OIDs read in one GET."),
  })
  .describe("SNMP GET of scalar OIDs. Each output's `from` is one of `oids`.");

export const SnmpWalkRequest = z
  .object({
    protocol: z.literal("snmp"),
    operation: z.literal("walk"),
    columns: z
      .array(Oid)
      .min(1)
      .max(20)
      .describe(
        "Table columns walked (GETBULK); a row's index is the OID suffix after the column, e.g. the ifIndex.",
      ),
    filter: z
      .object({
        column: Oid.describe("A column also walked to decide which rows count."),
        equals: z
          .string()
          .min(1)
          .describe("The value (as text; an OID value in dotted form) a row must have."),
      })
      .optional()
      .describe("Keep only rows whose `column` equals `equals`."),
  })
  .describe(
    "SNMP walk of table columns. Each output's `from` is one of `columns`; `instance: {index}` makes one series per row.",
  );

export const SnmpRequest = z.discriminatedUnion("operation", [SnmpGetRequest, SnmpWalkRequest]);

export const HttpRequest = z
  .object({
    protocol: z.literal("http"),
    method: z.enum(["GET", "POST"]).default("GET"),
    path: z
      .string()
      .regex(/^\/\S*$/, "an absolute path starting with /")
      .describe("The path and query, e.g. `/api/status`."),
    headers: z.record(z.string(), z.string()).default({}).describe("Extra request headers."),
    body: z.unknown().optional().describe("A JSON body (POST)."),
    format: z
      .enum(["json", "text"])
      .default("json")
      .describe(
        "json: outputs read JSON pointers into the body; text: outputs read named groups of `pattern`.",
      ),
    pattern: Regex.optional().describe(
      "With format text: the regular expression the body must match.",
    ),
    flags: RegexFlags,
  })
  .describe("One HTTP request; a status other than 2xx is an error for the function.");

export const PjlinkRequest = z
  .object({
    protocol: z.literal("pjlink"),
    command: z
      .string()
      .regex(/^[A-Z0-9]{4}$/, "a PJLink command: four capitals, e.g. POWR")
      .describe("The PJLink class 1 command, e.g. POWR, INPT, AVMT, ERST, LAMP, INF1, INF2, NAME."),
    parameter: z
      .string()
      .min(1)
      .max(128)
      .default("?")
      .describe("The parameter; `?` queries (the only use in monitoring)."),
  })
  .describe(
    "Send `%1<command> <parameter>\\r`; the answer `%1<command>=<value>` gives the value. ERR1–ERR4 and ERRA are errors.",
  );

export const QrcRequest = z
  .object({
    protocol: z.literal("qrc"),
    method: z
      .string()
      .min(1)
      .max(100)
      .describe("The JSON-RPC method, e.g. StatusGet, Control.Get, Component.Get."),
    params: z
      .union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.number()])
      .default({})
      .describe("The JSON-RPC params, sent as written."),
  })
  .describe(
    "One JSON-RPC 2.0 call (NUL-terminated); outputs read JSON pointers into its `result`. An `error` answer is an error.",
  );

export const TextRequest = z
  .object({
    protocol: z.literal("text"),
    command: z.string().min(1).max(200).describe("The command sent, followed by the terminator."),
    pattern: Regex.describe("The regular expression the answer must match."),
    flags: RegexFlags,
  })
  .describe("One command on a text console; outputs read named groups of `pattern`.");

export const TemplateRequest = z
  .discriminatedUnion("protocol", [
    IcmpRequest,
    SnmpRequest,
    HttpRequest,
    PjlinkRequest,
    QrcRequest,
    TextRequest,
  ])
  .describe("What the function asks; `protocol` must be the protocol of its interface.");
export type TemplateRequest = z.infer<typeof TemplateRequest>;

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
  })
  .describe(
    "One raw value → one signal. value = (raw[from] ÷ raw[per]) × scale + Σ raw[plus.from] × plus.scale, or map[raw] when `map` is given.",
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
