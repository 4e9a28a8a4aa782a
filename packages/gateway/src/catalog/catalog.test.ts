import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  SignalDefinition,
  type TemplateDocument,
  templateJsonSchema,
  type SignalLane,
} from "@omniglass/contracts";
import { OmniglassError, signalsOf } from "@omniglass/domain";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadTemplateLibrary, parseTemplateFile, TEMPLATES_FOLDER } from "./library";
import { OFFICIAL_SIGNALS, RESERVED_SIGNALS } from "./signals";

const SCHEMA_FILE = fileURLToPath(
  new URL("../../../../docs/reference/template.schema.json", import.meta.url),
);

const library = loadTemplateLibrary();
const catalog = new Map(OFFICIAL_SIGNALS.map((signal) => [signal.name, signal]));

/** The lane an output's signal is used in: a map to text or booleans is a property, else a metric. */
function laneOfUse(output: TemplateDocument["functions"][number]["outputs"][number]): SignalLane {
  if (output.map) {
    return Object.values(output.map).every((value) => typeof value === "number")
      ? "metric"
      : "property";
  }
  return output.scale !== undefined || output.per !== undefined || output.plus !== undefined
    ? "metric"
    : (catalog.get(output.signal)?.lane ?? "property");
}

function caught(action: () => unknown): OmniglassError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(OmniglassError);
    return error as OmniglassError;
  }
  throw new Error("expected an error");
}

describe("the official template library", () => {
  it("parses every file, each named after its template", () => {
    const files = readdirSync(TEMPLATES_FOLDER).filter((file) => file.endsWith(".yaml"));
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(library).toHaveLength(files.length);
    for (const file of files) {
      const doc = parseTemplateFile(file, readFileSync(path.join(TEMPLATES_FOLDER, file), "utf8"));
      expect(file).toBe(`${doc.name}.yaml`);
      expect(doc.version).toBeGreaterThanOrEqual(1);
    }
  });

  it("holds the templates the product ships, sorted by name, names unique", () => {
    const names = library.map((doc) => doc.name);
    expect(names).toEqual([...new Set(names)].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        "control-processor",
        "http-json-display",
        "pjlink-projector",
        "qsys-core-dsp",
        "snmp-network-switch",
        "uc-room-pc",
        "video-codec",
      ]),
    );
  });

  it("produces only catalog signals, each in the lane its output gives it", () => {
    for (const doc of library) {
      for (const fn of doc.functions) {
        for (const output of fn.outputs) {
          const where = `${doc.name} ${fn.name} → ${output.signal}`;
          const signal = catalog.get(output.signal);
          expect(signal, `${where} is not in OFFICIAL_SIGNALS`).toBeDefined();
          expect(signal!.lane, where).toBe(laneOfUse(output));
          if (output.map && signal!.schema && "enum" in signal!.schema) {
            // Every mapped value is one the property's schema allows.
            for (const value of Object.values(output.map)) {
              expect(signal!.schema.enum, `${where}: ${String(value)}`).toContain(value);
            }
          }
          if (output.map && signal!.valueType === "boolean") {
            for (const value of Object.values(output.map)) {
              expect(typeof value, where).toBe("boolean");
            }
          }
        }
      }
    }
  });

  it("leaves no official signal unproduced unless it is reserved with a reason", () => {
    const produced = new Set(library.flatMap((doc) => signalsOf(doc).map((item) => item.signal)));
    for (const signal of OFFICIAL_SIGNALS) {
      if (produced.has(signal.name)) continue;
      const reason = RESERVED_SIGNALS.get(signal.name) ?? "";
      expect(reason, `${signal.name} is produced by no template and not reserved`).toMatch(/\S/);
    }
    for (const name of RESERVED_SIGNALS.keys()) {
      expect(catalog.has(name), `reserved ${name} is not in OFFICIAL_SIGNALS`).toBe(true);
    }
  });

  it("gives every rule a signal it reads that the template produces", () => {
    for (const doc of library) {
      const produced = new Set(signalsOf(doc).map((item) => item.signal));
      for (const rule of doc.rules) {
        const read = [...`${rule.fire} ${rule.clear ?? ""}`.matchAll(/signals\["([^"]+)"\]/g)].map(
          (match) => match[1]!,
        );
        expect(read.length, `${doc.name} ${rule.name}`).toBeGreaterThan(0);
        for (const name of read) {
          expect(produced.has(name), `${doc.name} ${rule.name} reads ${name}`).toBe(true);
        }
      }
    }
  });
});

describe("the template authoring guide", () => {
  it("lists every official template with the signals it produces", () => {
    const guide = readFileSync(
      fileURLToPath(new URL("../../../../docs/guides/templates.md", import.meta.url)),
      "utf8",
    );
    for (const doc of library) {
      const row = guide.split("\n").find((line) => line.startsWith(`| \`${doc.name}\``));
      expect(row, `docs/guides/templates.md has no row for ${doc.name}`).toBeDefined();
      expect(row).toContain(`| ${doc.kind} `);
      const listed = new Set(
        row!
          .split("|")[4]!
          .split(",")
          .map((item) => item.trim().split(" ")[0]),
      );
      expect([...listed].sort(), doc.name).toEqual(
        signalsOf(doc)
          .map((item) => item.signal)
          .sort(),
      );
    }
  });
});

describe("the official signal catalog", () => {
  it("holds valid, uniquely named definitions", () => {
    for (const signal of OFFICIAL_SIGNALS) {
      const result = SignalDefinition.safeParse(signal);
      expect(result.success, `${signal.name}: ${result.error?.message}`).toBe(true);
    }
    const names = OFFICIAL_SIGNALS.map((signal) => signal.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(30);
  });

  it("refuses a metric with a schema and a property with a unit, naming the field", () => {
    const metric = SignalDefinition.safeParse({
      ...catalog.get("temperature"),
      schema: { type: "number" },
    });
    expect(metric.error?.issues.map((issue) => issue.path.join("."))).toEqual(["schema"]);
    const property = SignalDefinition.safeParse({ ...catalog.get("power-state"), unit: "W" });
    expect(property.error?.issues.map((issue) => issue.path.join("."))).toEqual(["unit"]);
  });
});

describe("the template JSON Schema", () => {
  it("is committed as generated from the contract (pnpm gen:schema)", () => {
    const committed: unknown = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    expect(committed).toEqual(templateJsonSchema());
    expect(committed).toMatchObject({
      $id: "urn:omniglass:schema:template",
      title: expect.any(String),
      description: expect.any(String),
    });
  });
});

describe("a broken template document", () => {
  const text = readFileSync(path.join(TEMPLATES_FOLDER, "pjlink-projector.yaml"), "utf8");

  /** The projector template with one change, as YAML text. */
  function broken(change: (doc: Record<string, unknown>) => void): string {
    const doc = parse(text) as Record<string, unknown>;
    change(doc);
    return JSON.stringify(doc);
  }
  const functions = (doc: Record<string, unknown>) => doc.functions as Record<string, unknown>[];
  const fieldsOf = (error: OmniglassError) => error.fieldErrors.map((item) => item.field);

  it("names the file and the field of a function whose interface is missing", () => {
    const error = caught(() =>
      parseTemplateFile(
        "pjlink-projector.yaml",
        broken((doc) => {
          functions(doc)[2]!.interface = "serial";
        }),
      ),
    );
    expect(error.code).toBe("INVALID");
    expect(error.message).toContain("pjlink-projector.yaml");
    expect(error.message).toContain("functions.2.interface");
    expect(fieldsOf(error)).toEqual(["functions.2.interface"]);
  });

  it("names a request that does not fit its interface's protocol", () => {
    const error = caught(() =>
      parseTemplateFile(
        "x.yaml",
        broken((doc) => {
          functions(doc)[0]!.interface = "ping";
        }),
      ),
    );
    expect(fieldsOf(error)).toEqual(["functions.0.request.protocol"]);
  });

  it("names duplicate names, bad outputs and bad durations", () => {
    const error = caught(() =>
      parseTemplateFile(
        "x.yaml",
        broken((doc) => {
          const list = functions(doc);
          list[1]!.name = "power";
          list[1]!.interval = "1 minute";
          const outputs = list[3]!.outputs as Record<string, unknown>[];
          outputs[0]!.from = "digit:0";
          outputs[1]!.signal = "Lamp Status";
        }),
      ),
    );
    // Every problem at once, field checks and cross-field checks alike.
    expect(fieldsOf(error).sort()).toEqual([
      "functions.1.interval",
      "functions.1.name",
      "functions.3.outputs.0.from",
      "functions.3.outputs.1.signal",
    ]);
    const duplicate = caught(() =>
      parseTemplateFile(
        "x.yaml",
        broken((doc) => {
          functions(doc)[1]!.name = "power";
        }),
      ),
    );
    expect(fieldsOf(duplicate)).toEqual(["functions.1.name"]);
    expect(duplicate.message).toContain('"power" appears more than once in functions');
  });

  it("names an OID an output reads that its request does not ask for", () => {
    const switchText = readFileSync(
      path.join(TEMPLATES_FOLDER, "snmp-network-switch.yaml"),
      "utf8",
    );
    const doc = parse(switchText) as { functions: { outputs: Record<string, unknown>[] }[] };
    doc.functions[0]!.outputs[0]!.from = "1.3.6.1.2.1.1.4.0";
    delete doc.functions[1]!.outputs[0]!.instance;
    const error = caught(() => parseTemplateFile("x.yaml", JSON.stringify(doc)));
    expect(fieldsOf(error)).toEqual([
      "functions.0.outputs.0.from",
      "functions.1.outputs.0.instance",
    ]);
  });

  it("names a regular expression without the group an output reads", () => {
    const cpText = readFileSync(path.join(TEMPLATES_FOLDER, "control-processor.yaml"), "utf8");
    const doc = parse(cpText) as { functions: { request: Record<string, unknown> }[] };
    doc.functions[0]!.request.pattern = "\\[v(?<release>[0-9.]+)";
    const error = caught(() => parseTemplateFile("x.yaml", JSON.stringify(doc)));
    expect(fieldsOf(error)).toEqual(["functions.0.outputs.0.from"]);
  });

  it("names invalid YAML with the file", () => {
    const error = caught(() => parseTemplateFile("bad.yaml", "name: [unclosed"));
    expect(error.message).toMatch(/^bad\.yaml: not valid YAML/);
  });
});
