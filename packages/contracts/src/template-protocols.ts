/** How a template talks to a device: its interfaces and requests (part of the template document, ./template.ts). */
import { z } from "zod";
import { Name } from "./location";
import { Duration } from "./template-signals";

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
