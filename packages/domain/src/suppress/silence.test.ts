import { describe, expect, it } from "vitest";
import { OmniglassError } from "../errors";
import {
  DEFAULT_SILENCE_MAX_MS,
  inSubtree,
  silenceActiveAt,
  silenceIsIdle,
  silenceMatches,
  silenceSuppresses,
  validateSilence,
  type AlarmFacts,
} from "./silence";

const now = new Date("2026-12-01T12:00:00Z");
const valid = {
  matchers: { owner: "north.b1" },
  author: "4f1c2a7e-0000-4000-8000-000000000001",
  reason: "Projector swap in B1",
  expiresAt: "2026-12-02T12:00:00Z",
};

function refusal(input: unknown, maxMs?: number): OmniglassError {
  try {
    validateSilence(input, { now, maxMs });
  } catch (error) {
    expect(error).toBeInstanceOf(OmniglassError);
    expect((error as OmniglassError).code).toBe("INVALID");
    return error as OmniglassError;
  }
  throw new Error("expected a refusal");
}

describe("validateSilence", () => {
  it("accepts a silence and defaults its start to now", () => {
    const silence = validateSilence(valid, { now });
    expect(silence.startsAt).toEqual(now);
    expect(silence.expiresAt).toEqual(new Date("2026-12-02T12:00:00Z"));
    expect(silence.matchers).toEqual({ owner: "north.b1" });
  });

  it("refuses a silence without expiry, naming expiresAt", () => {
    const { expiresAt: _, ...without } = valid;
    for (const input of [without, { ...valid, expiresAt: null }]) {
      const error = refusal(input);
      expect(error.fieldErrors).toEqual([
        { field: "expiresAt", message: "required: a silence must expire (an ISO 8601 time)" },
      ]);
    }
  });

  it("refuses an expiry beyond the maximum (default seven days), in the past, or before the start", () => {
    const eightDays = new Date(now.getTime() + 8 * 86_400_000).toISOString();
    expect(refusal({ ...valid, expiresAt: eightDays }).fieldErrors[0]).toEqual({
      field: "expiresAt",
      message: "a silence may last at most 7 days",
    });
    const sevenDays = new Date(now.getTime() + DEFAULT_SILENCE_MAX_MS).toISOString();
    expect(
      validateSilence({ ...valid, expiresAt: sevenDays }, { now }).expiresAt.toISOString(),
    ).toBe(sevenDays);
    expect(
      refusal({ ...valid, expiresAt: "2026-12-02T12:00:00Z" }, 3_600_000).fieldErrors[0]?.message,
    ).toBe("a silence may last at most 1 hour");
    expect(refusal({ ...valid, expiresAt: "2026-12-01T11:00:00Z" }).fieldErrors[0]).toEqual({
      field: "expiresAt",
      message: "must be in the future",
    });
    expect(
      refusal({ ...valid, startsAt: "2026-12-03T00:00:00Z", expiresAt: "2026-12-02T00:00:00Z" })
        .fieldErrors[0],
    ).toEqual({ field: "expiresAt", message: "must be after startsAt" });
  });

  it("measures the maximum from the later of now and the start", () => {
    const input = { ...valid, startsAt: "2026-12-05T00:00:00Z", expiresAt: "2026-12-11T00:00:00Z" };
    expect(validateSilence(input, { now }).startsAt.toISOString()).toBe("2026-12-05T00:00:00.000Z");
    const past = { ...valid, startsAt: "2026-11-01T00:00:00Z", expiresAt: "2026-12-07T00:00:00Z" };
    expect(validateSilence(past, { now }).expiresAt.toISOString()).toBe("2026-12-07T00:00:00.000Z");
  });

  it.each([
    [{ ...valid, matchers: {} }, "matchers"],
    [{ ...valid, matchers: { owner: "North.B1" } }, "matchers.owner"],
    [{ ...valid, matchers: { owner: "north..b1" } }, "matchers.owner"],
    [{ ...valid, matchers: { severities: ["fatal"] } }, "matchers.severities.0"],
    [{ ...valid, matchers: { rules: [] } }, "matchers.rules"],
    [{ ...valid, matchers: { templates: ["pjlink@v2"] } }, "matchers.templates.0"],
    [{ ...valid, matchers: { owner: "north", colour: "red" } }, "matchers"],
    [{ ...valid, reason: "   " }, "reason"],
    [{ ...valid, author: undefined }, "author"],
    [{ ...valid, expiresAt: "tomorrow" }, "expiresAt"],
    [{ ...valid, startsAt: "2026-12-01" }, "startsAt"],
  ])("refuses %j naming %s", (input, field) => {
    expect(refusal(input).fieldErrors[0]?.field).toBe(field);
  });
});

describe("silenceMatches", () => {
  const alarm: AlarmFacts = {
    rule: "lamp-failure",
    ownerPath: "north.b1.room-2.projector",
    severity: "critical",
    template: "pjlink-projector@3",
  };
  const matches = (matchers: object, facts: Partial<AlarmFacts> = {}) =>
    silenceMatches({ matchers } as never, { ...alarm, ...facts });

  it("matches an owner subtree at a label boundary", () => {
    expect(matches({ owner: "north.b1" })).toBe(true);
    expect(matches({ owner: "north.b1.room-2.projector" })).toBe(true);
    expect(matches({ owner: "north.b1" }, { ownerPath: "north.b10.room-1" })).toBe(false);
    expect(matches({ owner: "north.b1" }, { ownerPath: "north" })).toBe(false);
    expect(inSubtree("north.b1x", "north.b1")).toBe(false);
  });

  it("matches rules, severities and templates (a name: any version; name@version: that one)", () => {
    expect(matches({ rules: ["lamp-failure", "fan-failure"] })).toBe(true);
    expect(matches({ rules: ["fan-failure"] })).toBe(false);
    expect(matches({ severities: ["warning", "critical"] })).toBe(true);
    expect(matches({ severities: ["info"] })).toBe(false);
    expect(matches({ templates: ["pjlink-projector"] })).toBe(true);
    expect(matches({ templates: ["pjlink-projector@3"] })).toBe(true);
    expect(matches({ templates: ["pjlink-projector@2"] })).toBe(false);
    expect(matches({ templates: ["pjlink"] })).toBe(false);
    expect(matches({ templates: ["pjlink-projector"] }, { template: null })).toBe(false);
  });

  it("needs every matcher given to match", () => {
    expect(matches({ owner: "north", severities: ["critical"], rules: ["lamp-failure"] })).toBe(
      true,
    );
    expect(matches({ owner: "north", severities: ["warning"] })).toBe(false);
    expect(matches({ owner: "south", severities: ["critical"] })).toBe(false);
  });

  it("is in force from startsAt (inclusive) to expiresAt (exclusive)", () => {
    const silence = validateSilence({ ...valid, matchers: { rules: ["lamp-failure"] } }, { now });
    expect(silenceActiveAt(silence, new Date("2026-12-01T11:59:59Z"))).toBe(false);
    expect(silenceSuppresses(silence, alarm, now)).toBe(true);
    expect(silenceSuppresses(silence, alarm, silence.expiresAt)).toBe(false);
    expect(silenceSuppresses(silence, { ...alarm, rule: "other" }, now)).toBe(false);
  });

  it("says when an active silence matched nothing for a day", () => {
    const silence = validateSilence({ ...valid, expiresAt: "2026-12-05T00:00:00Z" }, { now });
    const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
    expect(silenceIsIdle(silence, null, later(23))).toBe(false);
    expect(silenceIsIdle(silence, null, later(24))).toBe(true);
    expect(silenceIsIdle(silence, later(10), later(30))).toBe(false);
    expect(silenceIsIdle(silence, later(10), later(34))).toBe(true);
    expect(silenceIsIdle(silence, null, silence.expiresAt)).toBe(false); // expired: not "idle"
  });
});
