import { describe, expect, it } from "vitest";
import type { Assessment, AssessmentComponent, AssessmentSample } from "@omniglass/contracts";
import type { RawComponent } from "./build-assessment";
import { findContradictions } from "./contradictions";
import { renderAssessmentMarkdown } from "./render-markdown";

const AT = "2026-12-02T10:00:00.000Z";

const sample = (
  signal: string,
  value: string,
  provenance: AssessmentSample["provenance"] = "observed",
): AssessmentSample => ({
  signal,
  instance: "",
  value,
  unit: null,
  observedAt: AT,
  freshness: "fresh",
  staleSince: null,
  provenance,
  source: { node: "edge", interface: "http", protocol: "http", principal: "edge" },
});

function component(
  raw: Partial<RawComponent>,
  samples: AssessmentSample[],
  extra: Partial<AssessmentComponent> = {},
): { raw: RawComponent; assessed: AssessmentComponent } {
  const path = raw.path ?? "hq.room.display";
  return {
    raw: {
      id: "00000000-0000-7000-8000-000000000001",
      path,
      label: null,
      vendor: null,
      model: null,
      serial: null,
      mac: null,
      template_id: "t",
      template_name: "http-json-display",
      template_version: 1,
      systems: [],
      monitored: true,
      interfaces: [],
      declarations: [],
      verdict: "healthy",
      since: AT,
      explanation: "healthy",
      ...raw,
    },
    assessed: {
      id: "00000000-0000-7000-8000-000000000001",
      path,
      label: null,
      template: "http-json-display@1",
      vendor: raw.vendor ?? null,
      model: raw.model ?? null,
      systems: [],
      monitored: raw.monitored ?? true,
      collectors: [],
      health: { verdict: "healthy", since: AT, explanation: "healthy" },
      samples,
      alarms: [],
      stale: [],
      gaps: [],
      ...extra,
    },
  };
}

const find = (...cs: ReturnType<typeof component>[]) =>
  findContradictions({
    components: cs.map((c) => c.raw),
    assessed: cs.map((c) => c.assessed),
    systems: [],
  });

describe("contradictions", () => {
  it("vendor and model agree when one contains the other; serial and MAC must be equal", () => {
    const agreeing = component(
      { vendor: "Samsung", model: "QM85R", serial: "SAM-1001", mac: "02:00:5e:00:00:01" },
      [
        sample("manufacturer", "SAMSUNG Electronics"),
        sample("model", "Samsung QM85R"),
        sample("serial-number", "sam1001"),
        sample("mac-address", "02-00-5E-00-00-01"),
      ],
    );
    expect(find(agreeing)).toEqual([]);
    const lying = component({ vendor: "Samsung", model: "QM85R", serial: "SAM1001" }, [
      sample("manufacturer", "Omniglass Simulated Displays"),
      sample("model", "OG-D55"),
      sample("serial-number", "SAM10012"),
    ]);
    expect(
      find(lying).map((c) => [c.kind, c.declared.value, c.observed.value, c.observed.source]),
    ).toEqual([
      ["model-mismatch", "QM85R", "OG-D55", "model via edge/http/http"],
      ["serial-mismatch", "SAM1001", "SAM10012", "serial-number via edge/http/http"],
      [
        "vendor-mismatch",
        "Samsung",
        "Omniglass Simulated Displays",
        "manufacturer via edge/http/http",
      ],
    ]);
  });

  it("nothing observed yet, or only a declared value, is no contradiction", () => {
    expect(find(component({ model: "QM85R" }, []))).toEqual([]);
    expect(find(component({ model: "QM85R" }, [sample("model", "OG-D55", "declared")]))).toEqual(
      [],
    );
  });

  it("a tag named for a signal is a declaration: reported otherwise, or not reported at all", () => {
    const declared = component(
      {
        declarations: [
          { key: "input-source", value: "hdmi-3" },
          { key: "firmware-version", value: "1.04" },
          { key: "volume", value: 30 },
        ],
      },
      [sample("input-source", "hdmi-1")],
      { gaps: [{ kind: "never-seen", signal: "volume", detail: "" }] },
    );
    expect(
      find(declared).map((c) => [c.kind, c.field, c.observed.value, c.observed.source]),
    ).toEqual([
      ["declared-mismatch", "input-source", "hdmi-1", "input-source via edge/http/http"],
      [
        "declared-not-reported",
        "firmware-version",
        null,
        "http-json-display@1 does not read firmware-version: the device does not report it",
      ],
      [
        "declared-not-reported",
        "volume",
        null,
        "http-json-display@1 reads volume but no value has arrived",
      ],
    ]);
  });

  it("names a role filled by an unmonitored component, ordered by ref", () => {
    const watched = component({ path: "hq.room.a" }, []);
    const unwatched = component({ path: "hq.room.b", monitored: false }, []);
    const found = findContradictions({
      components: [unwatched.raw, watched.raw],
      assessed: [unwatched.assessed, watched.assessed],
      systems: [
        {
          id: "00000000-0000-7000-8000-000000000002",
          path: "hq.room.av",
          label: null,
          type: "meeting-room",
          location: "hq.room",
          health: { verdict: "unknown", since: AT, explanation: "" },
          roles: [
            { name: "video", quorum: 1, impact: "outage", filledBy: ["hq.room.a", "hq.room.b"] },
            { name: "audio", quorum: 1, impact: "outage", filledBy: ["hq.room.b"] },
          ],
          members: ["hq.room.a", "hq.room.b"],
          alarms: [],
        },
      ],
    });
    expect(found.map((c) => c.ref)).toEqual(["hq.room.av#audio", "hq.room.av#video"]);
    expect(
      found.every((c) => c.kind === "role-unmonitored" && c.declared.value === "hq.room.b"),
    ).toBe(true);
  });
});

describe("the Markdown", () => {
  const base: Assessment = {
    generatedAt: AT,
    productVersion: "1.0.0",
    estateRevision: "7",
    scope: { kind: "component", ref: "hq.room.display", path: "hq.room.display" },
    requestedBy: "alice",
    summary: {
      working: { count: 0, items: [] },
      degraded: { count: 0, items: [] },
      missing: { count: 0, items: [] },
      blocked: { count: 0, items: [] },
      contradictions: 0,
    },
    locations: [],
    systems: [],
    components: [component({}, [sample("input-source", "a|b\nc")]).assessed],
    contradictions: [],
  };

  it("keeps a value's pipes and line breaks inside its cell, and gives the same bytes twice", () => {
    const md = renderAssessmentMarkdown(base);
    expect(md).toContain(
      "| input-source | a\\|b c | 2026-12-02T10:00:00.000Z | fresh | edge | http | http | edge |",
    );
    expect(renderAssessmentMarkdown(structuredClone(base))).toBe(md);
    expect(md.endsWith("\n")).toBe(true);
  });
});
