import { describe, expect, it } from "vitest";
import { OmniglassError } from "../errors";
import {
  activeAt,
  compileSchedule,
  nextBoundary,
  occurrences,
  type WindowSchedule,
} from "./recurrence";
import { resolveWallTime, wallTimeAt } from "./zone";

const at = (iso: string) => new Date(iso);
const starts = (window: WindowSchedule, from: string, to: string, limit?: number) =>
  occurrences(window, { from: at(from), to: at(to), limit }).map((o) => o.start.toISOString());

function refusal(run: () => unknown): OmniglassError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OmniglassError);
    expect((error as OmniglassError).code).toBe("INVALID");
    return error as OmniglassError;
  }
  throw new Error("expected a refusal");
}

describe("one-off windows and the DST policy", () => {
  it("resolves a plain local time in its zone", () => {
    const [o] = occurrences(
      { dtstart: "2026-07-01T22:00", timeZone: "Europe/London", duration: "2h" },
      { from: at("2026-01-01T00:00:00Z"), to: at("2027-01-01T00:00:00Z") },
    );
    expect(o).toEqual({
      start: at("2026-07-01T21:00:00Z"),
      end: at("2026-07-01T23:00:00Z"),
      dst: "exact",
    });
  });

  it("New York, 01:30 on the spring-forward night: starts at 01:30 EST and lasts 2 real hours (ends 04:30 EDT)", () => {
    const [o] = occurrences(
      { dtstart: "2026-03-08T01:30", timeZone: "America/New_York", duration: "2h" },
      { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") },
    );
    expect(o!.start.toISOString()).toBe("2026-03-08T06:30:00.000Z");
    expect(o!.end.toISOString()).toBe("2026-03-08T08:30:00.000Z"); // 04:30 EDT, not 03:30
    expect(o!.end.getTime() - o!.start.getTime()).toBe(2 * 3_600_000);
  });

  it("New York, 02:30 on the spring-forward night does not exist: it starts at the transition (03:00 EDT), not dropped", () => {
    const [o] = occurrences(
      { dtstart: "2026-03-08T02:30", timeZone: "America/New_York", duration: "1h" },
      { from: at("2026-03-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z") },
    );
    expect(o).toEqual({
      start: at("2026-03-08T07:00:00Z"),
      end: at("2026-03-08T08:00:00Z"),
      dst: "gap",
    });
  });

  it("New York, 01:30 on the fall-back night happens twice: it runs once, at the first (EDT)", () => {
    const window = { dtstart: "2026-11-01T01:30", timeZone: "America/New_York", duration: "2h" };
    const all = occurrences(window, {
      from: at("2026-10-01T00:00:00Z"),
      to: at("2026-12-01T00:00:00Z"),
    });
    expect(all).toHaveLength(1);
    expect(all[0]).toEqual({
      start: at("2026-11-01T05:30:00Z"), // 01:30 EDT; the second 01:30 (EST) is 06:30Z
      end: at("2026-11-01T07:30:00Z"), // 2 real hours: 02:30 EST
      dst: "repeated",
    });
  });

  it("finds the transition instant itself for the gap (Sydney, Lord Howe's half-hour shift)", () => {
    expect(resolveWallTime("Australia/Sydney", Date.UTC(2026, 9, 4, 2, 15))).toEqual({
      instantMs: Date.parse("2026-10-03T16:00:00Z"),
      kind: "gap",
    });
    // Lord Howe moves its clocks by 30 minutes: 02:00 → 02:30 local (+10:30 → +11).
    expect(resolveWallTime("Australia/Lord_Howe", Date.UTC(2026, 9, 4, 2, 10))).toEqual({
      instantMs: Date.parse("2026-10-03T15:30:00Z"),
      kind: "gap",
    });
  });
});

describe("recurring windows across real transitions", () => {
  it("New York, daily at 02:30: the gap night starts at 03:00 EDT, the others at 02:30 local", () => {
    const window = {
      dtstart: "2026-03-01T02:30",
      timeZone: "America/New_York",
      duration: "1h",
      rrule: "FREQ=DAILY",
    };
    expect(starts(window, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST
      "2026-03-08T07:00:00.000Z", // 02:30 does not exist: 03:00 EDT
      "2026-03-09T06:30:00.000Z", // 02:30 EDT
    ]);
  });

  it("New York, daily at 01:30 across fall back: one occurrence on the doubled night", () => {
    const window = {
      dtstart: "2026-10-01T01:30",
      timeZone: "America/New_York",
      duration: "30m",
      rrule: "FREQ=DAILY",
    };
    expect(starts(window, "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z")).toEqual([
      "2026-10-31T05:30:00.000Z",
      "2026-11-01T05:30:00.000Z", // the first 01:30 (EDT) only
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("two local starts that land on one instant across the gap are one occurrence", () => {
    const window = {
      dtstart: "2026-03-07T00:00",
      timeZone: "America/New_York",
      duration: "10m",
      rrule: "FREQ=DAILY;BYHOUR=2,3;BYMINUTE=0",
    };
    expect(starts(window, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z")).toEqual([
      "2026-03-08T07:00:00.000Z", // 02:00 (skipped) and 03:00 EDT are the same instant
    ]);
  });

  it("New York, weekly on Monday, Wednesday and Friday at 22:00 local across both transitions", () => {
    const window = {
      dtstart: "2026-01-05T22:00",
      timeZone: "America/New_York",
      duration: "4h",
      rrule: "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    };
    expect(starts(window, "2026-03-04T00:00:00Z", "2026-03-12T00:00:00Z")).toEqual([
      "2026-03-05T03:00:00.000Z", // Wed 4 Mar 22:00 EST
      "2026-03-07T03:00:00.000Z", // Fri 6 Mar 22:00 EST
      "2026-03-10T02:00:00.000Z", // Mon 9 Mar 22:00 EDT
    ]);
    expect(starts(window, "2026-10-28T00:00:00Z", "2026-11-05T00:00:00Z")).toEqual([
      "2026-10-29T02:00:00.000Z", // Wed 28 Oct 22:00 EDT
      "2026-10-31T02:00:00.000Z", // Fri 30 Oct 22:00 EDT
      "2026-11-03T03:00:00.000Z", // Mon 2 Nov 22:00 EST
    ]);
  });

  it("London, weekly on Sunday at 01:30: the spring night starts at 02:00 BST, the autumn night at the first 01:30", () => {
    const window = {
      dtstart: "2026-03-01T01:30",
      timeZone: "Europe/London",
      duration: "1h",
      rrule: "FREQ=WEEKLY;BYDAY=SU",
    };
    const spring = occurrences(window, {
      from: at("2026-03-21T00:00:00Z"),
      to: at("2026-04-06T00:00:00Z"),
    });
    expect(spring.map((o) => [o.start.toISOString(), o.dst])).toEqual([
      ["2026-03-22T01:30:00.000Z", "exact"],
      ["2026-03-29T01:00:00.000Z", "gap"], // 01:30 GMT never happens: 02:00 BST
      ["2026-04-05T00:30:00.000Z", "exact"],
    ]);
    const autumn = occurrences(window, {
      from: at("2026-10-17T00:00:00Z"),
      to: at("2026-11-02T00:00:00Z"),
    });
    expect(autumn.map((o) => [o.start.toISOString(), o.dst])).toEqual([
      ["2026-10-18T00:30:00.000Z", "exact"],
      ["2026-10-25T00:30:00.000Z", "repeated"], // 01:30 BST, not 01:30 GMT
      ["2026-11-01T01:30:00.000Z", "exact"],
    ]);
  });

  it("Sydney (southern hemisphere), weekly on Sunday at 02:30: repeated in April, skipped in October", () => {
    const window = {
      dtstart: "2026-03-01T02:30",
      timeZone: "Australia/Sydney",
      duration: "2h",
      rrule: "FREQ=WEEKLY;BYDAY=SU",
    };
    const april = occurrences(window, {
      from: at("2026-04-04T00:00:00Z"),
      to: at("2026-04-05T00:00:00Z"),
    });
    expect(april).toEqual([
      { start: at("2026-04-04T15:30:00Z"), end: at("2026-04-04T17:30:00Z"), dst: "repeated" },
    ]);
    const october = occurrences(window, {
      from: at("2026-09-26T00:00:00Z"),
      to: at("2026-10-12T00:00:00Z"),
    });
    expect(october.map((o) => [o.start.toISOString(), o.dst])).toEqual([
      ["2026-09-26T16:30:00.000Z", "exact"], // 02:30 AEST
      ["2026-10-03T16:00:00.000Z", "gap"], // 02:30 does not exist: 03:00 AEDT
      ["2026-10-10T15:30:00.000Z", "exact"], // 02:30 AEDT
    ]);
  });

  it("Kolkata (no DST, +05:30): 09:00 is 03:30Z every day, on other zones' transition nights too", () => {
    const window = {
      dtstart: "2026-03-06T09:00",
      timeZone: "Asia/Kolkata",
      duration: "1h",
      rrule: "FREQ=DAILY",
    };
    expect(starts(window, "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z")).toEqual([
      "2026-03-07T03:30:00.000Z",
      "2026-03-08T03:30:00.000Z",
      "2026-03-09T03:30:00.000Z",
    ]);
  });

  it("monthly on the last Friday (-1FR) at 18:00 London, before and after BST", () => {
    const window = {
      dtstart: "2026-01-01T18:00",
      timeZone: "Europe/London",
      duration: "3h",
      rrule: "FREQ=MONTHLY;BYDAY=-1FR",
    };
    expect(starts(window, "2026-01-01T00:00:00Z", "2026-07-01T00:00:00Z")).toEqual([
      "2026-01-30T18:00:00.000Z",
      "2026-02-27T18:00:00.000Z",
      "2026-03-27T18:00:00.000Z",
      "2026-04-24T17:00:00.000Z",
      "2026-05-29T17:00:00.000Z",
      "2026-06-26T17:00:00.000Z",
    ]);
  });

  it("monthly on the first Monday and on day 31 (months without one have none)", () => {
    const first = {
      dtstart: "2026-01-01T08:00",
      timeZone: "UTC",
      duration: "1h",
      rrule: "FREQ=MONTHLY;BYDAY=1MO",
    };
    expect(starts(first, "2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z")).toEqual([
      "2026-01-05T08:00:00.000Z",
      "2026-02-02T08:00:00.000Z",
      "2026-03-02T08:00:00.000Z",
    ]);
    const last = { ...first, rrule: "FREQ=MONTHLY;BYMONTHDAY=31" };
    expect(starts(last, "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z")).toEqual([
      "2026-01-31T08:00:00.000Z",
      "2026-03-31T08:00:00.000Z",
      "2026-05-31T08:00:00.000Z",
    ]);
  });

  it("yearly on the last Sunday of October (BYMONTH with an ordinal BYDAY)", () => {
    const window = {
      dtstart: "2024-01-01T03:00",
      timeZone: "Europe/London",
      duration: "1h",
      rrule: "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    };
    expect(starts(window, "2024-01-01T00:00:00Z", "2028-01-01T00:00:00Z")).toEqual([
      "2024-10-27T03:00:00.000Z",
      "2025-10-26T03:00:00.000Z",
      "2026-10-25T03:00:00.000Z",
      "2027-10-31T03:00:00.000Z",
    ]);
  });

  it("WKST decides which weeks an INTERVAL=2 rule keeps (RFC 5545's own example)", () => {
    const base = { dtstart: "1997-08-05T09:00", timeZone: "America/New_York", duration: "1h" };
    const days = (rrule: string) =>
      occurrences(
        { ...base, rrule },
        { from: at("1997-01-01T00:00:00Z"), to: at("1998-01-01T00:00:00Z") },
      ).map((o) => o.start.toISOString().slice(0, 10));
    expect(days("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO")).toEqual([
      "1997-08-05",
      "1997-08-10",
      "1997-08-19",
      "1997-08-24",
    ]);
    expect(days("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU")).toEqual([
      "1997-08-05",
      "1997-08-17",
      "1997-08-19",
      "1997-08-31",
    ]);
  });

  it("COUNT counts from dtstart, not from the range asked for", () => {
    const window = {
      dtstart: "2026-03-01T10:00",
      timeZone: "UTC",
      duration: "1h",
      rrule: "FREQ=DAILY;COUNT=3",
    };
    expect(starts(window, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")).toEqual([
      "2026-03-01T10:00:00.000Z",
      "2026-03-02T10:00:00.000Z",
      "2026-03-03T10:00:00.000Z",
    ]);
    expect(starts(window, "2026-03-02T12:00:00Z", "2027-01-01T00:00:00Z")).toEqual([
      "2026-03-03T10:00:00.000Z",
    ]);
  });

  it("UNTIL is inclusive: a UTC instant, or a date read in the window's zone", () => {
    const base = { dtstart: "2026-06-01T23:30", timeZone: "America/New_York", duration: "1h" };
    // 23:30 EDT on 3 June is 03:30Z on the 4th: UNTIL at exactly that instant keeps it.
    expect(
      starts(
        { ...base, rrule: "FREQ=DAILY;UNTIL=20260604T033000Z" },
        "2026-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
      ),
    ).toEqual(["2026-06-02T03:30:00.000Z", "2026-06-03T03:30:00.000Z", "2026-06-04T03:30:00.000Z"]);
    // A date is the whole local day: 3 June 23:30 New York is on it.
    expect(
      starts(
        { ...base, rrule: "FREQ=DAILY;UNTIL=20260603" },
        "2026-01-01T00:00:00Z",
        "2027-01-01T00:00:00Z",
      ),
    ).toHaveLength(3);
  });

  it("a query years after dtstart finds the same occurrences as a walk from the start", () => {
    const window = compileSchedule({
      dtstart: "2019-02-13T21:15",
      timeZone: "Australia/Sydney",
      duration: "3h",
      rrule: "FREQ=WEEKLY;INTERVAL=3;BYDAY=WE,SA",
    });
    const all = occurrences(window, {
      from: at("2019-01-01T00:00:00Z"),
      to: at("2027-01-01T00:00:00Z"),
      limit: 10_000,
    });
    const from = at("2026-03-20T00:00:00Z");
    const to = at("2026-06-20T00:00:00Z");
    const expected = all.filter((o) => o.end > from && o.start < to);
    expect(expected.length).toBeGreaterThan(5);
    expect(occurrences(window, { from, to })).toEqual(expected);
  });

  it.each([
    ["Europe/London", "01:30"],
    ["America/New_York", "02:15"],
    ["America/New_York", "01:45"],
    ["Australia/Sydney", "02:30"],
    ["Australia/Lord_Howe", "02:15"],
    ["Pacific/Chatham", "02:45"],
    ["Asia/Kolkata", "00:00"],
  ])(
    "%s, daily at %s: every start for a year is the first instant whose local time reaches it",
    (timeZone, time) => {
      // The policy in one sentence, searched by brute force in 15-minute steps (every offset and
      // transition since 1970 is a multiple of 15 minutes).
      const [h, m] = time.split(":").map(Number) as [number, number];
      const got = occurrences(
        { dtstart: `2026-01-01T${time}`, timeZone, duration: "15m", rrule: "FREQ=DAILY" },
        { from: at("2025-12-30T00:00:00Z"), to: at("2027-01-03T00:00:00Z") },
      ).map((o) => o.start.getTime());
      const expected: number[] = [];
      for (let day = 0; day < 365; day++) {
        const target = Date.UTC(2026, 0, 1 + day, h, m);
        let t = target - 15 * 3_600_000;
        while (wallTimeAt(timeZone, t) < target) t += 15 * 60_000;
        expected.push(t);
      }
      expect(got.slice(0, 365)).toEqual(expected);
    },
  );

  it("limit caps the answer", () => {
    const window = {
      dtstart: "2026-01-01T00:00",
      timeZone: "UTC",
      duration: "1h",
      rrule: "FREQ=DAILY",
    };
    expect(starts(window, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 2)).toHaveLength(2);
  });
});

describe("activeAt and nextBoundary", () => {
  const window = {
    dtstart: "2026-03-01T02:30",
    timeZone: "America/New_York",
    duration: "2h",
    rrule: "FREQ=DAILY",
  };

  it("is open from start (inclusive) to end (exclusive), as elapsed time across the gap", () => {
    expect(activeAt(window, at("2026-03-08T06:59:59Z"))).toBe(false);
    expect(activeAt(window, at("2026-03-08T07:00:00Z"))).toBe(true); // 03:00 EDT
    expect(activeAt(window, at("2026-03-08T08:59:59Z"))).toBe(true);
    expect(activeAt(window, at("2026-03-08T09:00:00Z"))).toBe(false); // 2 real hours later
  });

  it("names the next start or end, and whether the window is open after it", () => {
    expect(nextBoundary(window, at("2026-03-08T00:00:00Z"))).toEqual({
      at: at("2026-03-08T07:00:00Z"),
      activeAfter: true,
    });
    expect(nextBoundary(window, at("2026-03-08T07:00:00Z"))).toEqual({
      at: at("2026-03-08T09:00:00Z"),
      activeAfter: false,
    });
  });

  it("back-to-back occurrences: the boundary is the next start, still open after it", () => {
    const hourly = {
      dtstart: "2026-01-01T00:00",
      timeZone: "UTC",
      duration: "12h",
      rrule: "FREQ=DAILY;BYHOUR=0,12",
    };
    expect(nextBoundary(hourly, at("2026-01-01T01:00:00Z"))).toEqual({
      at: at("2026-01-01T12:00:00Z"),
      activeAfter: true,
    });
  });

  it("overlapping occurrences: the earliest end comes before a later start", () => {
    const long = {
      dtstart: "2026-01-01T00:00",
      timeZone: "UTC",
      duration: "36h",
      rrule: "FREQ=DAILY",
    };
    expect(nextBoundary(long, at("2026-01-02T06:00:00Z"))).toEqual({
      at: at("2026-01-02T12:00:00Z"), // the first occurrence ends; the second still runs
      activeAfter: true,
    });
  });

  it("is null once a series has ended", () => {
    const once = { dtstart: "2026-01-01T00:00", timeZone: "UTC", duration: "1h" };
    expect(nextBoundary(once, at("2026-01-01T00:30:00Z"))?.at).toEqual(at("2026-01-01T01:00:00Z"));
    expect(nextBoundary(once, at("2026-01-01T01:00:00Z"))).toBeNull();
  });
});

describe("validation", () => {
  const base = { dtstart: "2026-01-01T00:00", timeZone: "Europe/London", duration: "1h" };

  it("refuses a zone that is not IANA, naming timeZone", () => {
    for (const timeZone of ["Mars/Olympus_Mons", "+01:00", "GMT+1 ", ""]) {
      const error = refusal(() => compileSchedule({ ...base, timeZone }));
      expect(error.fieldErrors[0]?.field).toBe("timeZone");
    }
  });

  it("canonicalises a zone name", () => {
    expect(compileSchedule({ ...base, timeZone: "europe/london" }).timeZone).toBe("Europe/London");
  });

  it("refuses a bad dtstart and duration, naming the field", () => {
    expect(
      refusal(() => compileSchedule({ ...base, dtstart: "2026-02-30T10:00" })).fieldErrors[0]
        ?.field,
    ).toBe("dtstart");
    expect(
      refusal(() => compileSchedule({ ...base, dtstart: "2026-01-01 10:00" })).fieldErrors[0]
        ?.field,
    ).toBe("dtstart");
    expect(refusal(() => compileSchedule({ ...base, duration: "0s" })).fieldErrors[0]?.field).toBe(
      "duration",
    );
    expect(
      refusal(() => compileSchedule({ ...base, duration: "2 hours" })).fieldErrors[0]?.field,
    ).toBe("duration");
    expect(
      refusal(() => compileSchedule({ ...base, duration: "745h" })).fieldErrors[0]?.field,
    ).toBe("duration");
  });

  it.each([
    ["FREQ=WEEKLY;BYSETPOS=1", "BYSETPOS"],
    ["FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO"],
    ["FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY"],
    ["FREQ=DAILY;BYSECOND=0", "BYSECOND"],
    ["FREQ=HOURLY", "FREQ"],
    ["FREQ=DAILY;FREQ=WEEKLY", "FREQ"],
    ["INTERVAL=2", "FREQ"],
    ["FREQ=DAILY;INTERVAL=0", "INTERVAL"],
    ["FREQ=WEEKLY;BYDAY=1MO", "BYDAY"],
    ["FREQ=MONTHLY;BYDAY=6FR", "BYDAY"],
    ["FREQ=MONTHLY;BYDAY=XX", "BYDAY"],
    ["FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY"],
    ["FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY"],
    ["FREQ=YEARLY;BYMONTH=13", "BYMONTH"],
    ["FREQ=DAILY;BYHOUR=24", "BYHOUR"],
    ["FREQ=DAILY;BYMINUTE=60", "BYMINUTE"],
    ["FREQ=DAILY;COUNT=2;UNTIL=20260101", "COUNT"],
    ["FREQ=DAILY;COUNT=10001", "COUNT"],
    ["FREQ=DAILY;UNTIL=2026-01-01", "UNTIL"],
    ["FREQ=DAILY;UNTIL=20260230", "UNTIL"],
    ["FREQ=DAILY;WKST=XY", "WKST"],
    ["FREQ=DAILY;X-NAME=1", "X-NAME"],
    ["FREQ", "FREQ"],
  ])("refuses %s naming %s", (rrule, part) => {
    const error = refusal(() => compileSchedule({ ...base, rrule }));
    expect(error.fieldErrors[0]?.field).toBe("rrule");
    expect(error.fieldErrors[0]?.message).toContain(part);
  });

  it("accepts the RRULE: prefix and lower case", () => {
    expect(compileSchedule({ ...base, rrule: "RRULE:freq=weekly;byday=mo" }).rule?.freq).toBe(
      "WEEKLY",
    );
  });
});
