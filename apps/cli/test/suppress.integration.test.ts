import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverCommands } from "../src/program";
import { startInProcessCli, type InProcessCli } from "./harness";

/*
 * `omniglass maintenance` and `omniglass silence` against the real API: a recurring window across
 * New York's spring-forward night (the skipped start marked), updated, previewed and deleted; a
 * silence refused without an expiry (naming expiresAt), set for 2 h, edited, listed and expired.
 */
describe("omniglass maintenance and silence", () => {
  let harness: InProcessCli;
  let t: string[];
  const cli = (...args: string[]) => harness.cli(...args, ...t);
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await cli(...args, "--json");
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as T;
  };

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    await cli("location", "create", "--name", "hq", "--type", "campus");
  });
  afterAll(() => harness.stop());

  it("creates, shows, updates, previews and deletes a window; errors name the RRULE part", async () => {
    const bad = await cli(
      "maintenance",
      "create",
      ...["--name", "bad", "--scope", "location:hq", "--dtstart", "2030-03-09T02:30"],
      ...["--time-zone", "America/New_York", "--duration", "1h", "--rrule", "FREQ=HOURLY"],
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/rrule/);
    expect(bad.err).toMatch(/HOURLY/);
    const made = await json<{ name: string; timeZone: string }>(
      "maintenance",
      "create",
      ...["--name", "ny-nights", "--scope", "location:hq", "--dtstart", "2030-03-09T02:30"],
      ...["--time-zone", "America/New_York", "--duration", "1h", "--rrule", "FREQ=DAILY"],
    );
    expect(made).toMatchObject({ name: "ny-nights", timeZone: "America/New_York" });
    const listed = await cli("maintenance", "list");
    expect(listed.out).toMatch(/ny-nights\s+location:hq\s+2030-03-09T02:30 America\/New_York/);
    const shown = await json<{ rrule: string }>("maintenance", "show", "ny-nights");
    expect(shown.rrule).toBe("FREQ=DAILY");
    const preview = await cli("maintenance", "preview", "ny-nights", "--count", "3");
    expect(preview.code, preview.err).toBe(0);
    // 10 March 2030: 02:30 does not exist in New York; the occurrence starts at 03:00 EDT.
    expect(preview.out).toMatch(/2030-03-10T07:00:00.000Z .*2030-03-10T03:00.*gap/);
    expect(preview.out).toMatch(/last 7 days: 0 occurrences, 0 alarms/);
    const updated = await json<{ duration: string; version: number }>(
      "maintenance",
      "update",
      "ny-nights",
      ...["--duration", "2h", "--version", "1"],
    );
    expect(updated).toMatchObject({ duration: "2h", version: 2 });
    const deleted = await cli("maintenance", "delete", "ny-nights");
    expect(deleted.code, deleted.err).toBe(0);
    expect((await cli("maintenance", "show", "ny-nights")).code).not.toBe(0);
  });

  it("refuses a silence without an expiry, sets, edits, lists and expires one", async () => {
    const refused = await cli("silence", "create", "--owner", "hq", "--reason", "works");
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/expiresAt/);
    const made = await json<{ id: string; state: string; owner: { path: string } }>(
      "silence",
      "create",
      ...["--owner", "hq", "--severities", "warning,critical", "--reason", "works", "--for", "2h"],
    );
    expect(made).toMatchObject({ state: "active", owner: { path: "hq" } });
    const edited = await json<{ reason: string }>(
      "silence",
      "update",
      made.id,
      ...["--reason", "works, ticket 4711"],
    );
    expect(edited.reason).toBe("works, ticket 4711");
    const listed = await cli("silence", "list", "--state", "active");
    expect(listed.out).toContain(made.id);
    expect(listed.out).toMatch(/severities=warning,critical/);
    const expired = await json<{ state: string }>("silence", "expire", made.id);
    expect(expired.state).toBe("expired");
    const tooLong = await cli(
      "silence",
      "create",
      ...["--owner", "hq", "--reason", "forever", "--for", "30d"],
    );
    expect(tooLong.code).not.toBe(0);
    expect(tooLong.err).toMatch(/at most 7 days/);
  });
});
