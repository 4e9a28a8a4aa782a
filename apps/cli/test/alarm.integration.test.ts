import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connectDatabase } from "@omniglass/gateway";
import { serverCommands } from "../src/program";
import { omniglass, startInProcessCli, type InProcessCli } from "./harness";

/*
 * `omniglass alarm` and `omniglass rule` against the real API: alarms opened by the official
 * `unreachable` rule from pushed samples, listed with filters, shown with the timeline,
 * acknowledged alone and in bulk, unacknowledged, resolved with a reason; a custom rule created
 * (CEL refused at its position), listed, updated, previewed over history and deleted.
 */
describe("omniglass alarm and rule", () => {
  let harness: InProcessCli;
  let t: string[];
  const cli = (...args: string[]) => harness.cli(...args, ...t);
  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await cli(...args, "--json");
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as T;
  };
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    await cli("location", "create", "--name", "hq", "--type", "campus");
    for (const name of ["display-1", "display-2"]) {
      const created = await cli(
        "component",
        "create",
        ...["--name", name, "--location", "hq", "--template", "http-json-display"],
      );
      expect(created.code, created.err).toBe(0);
    }
    const t0 = Date.now() - 10 * 60_000;
    const file = path.join(tmpdir(), `alarm-samples-${randomUUID()}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        ["display-1", "display-2"].flatMap((name) =>
          [0, 130].map((s) => ({
            owner: `hq.${name}`,
            signal: "reachable",
            value: false,
            ts: new Date(t0 + s * 1000).toISOString(),
          })),
        ),
      ),
    );
    const pushed = await cli("samples", "push", file);
    expect(pushed.out).toMatch(/^accepted 4, rejected 0/);
    const list = await json<{ items: { id: string; owner: { path: string } }[] }>(
      "alarm",
      "list",
      "--state",
      "open",
    );
    for (const a of list.items) ids[a.owner.path] = a.id;
  });
  afterAll(() => harness.stop());

  it("lists alarms with their filters, as a table", async () => {
    expect(Object.keys(ids).sort()).toEqual(["hq.display-1", "hq.display-2"]);
    const table = await cli(
      "alarm",
      "list",
      ...["--state", "open", "--owner", "hq.display-1", "--severity", "critical"],
    );
    expect(table.code, table.err).toBe(0);
    const lines = table.out.split("\n");
    expect(lines[0]).toMatch(
      /^ID\s+SEVERITY\s+STATE\s+ACKNOWLEDGED\s+SUPPRESSED\s+OWNER\s+RULE\s+OPENED\s+SUMMARY$/,
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/critical\s+open\s+-\s+-\s+hq\.display-1\s+unreachable/);
    expect(lines[2]).toBe("(1 of 1)");
    expect((await cli("alarm", "list", "--severity", "info")).out).toMatch(/\(0 of 0\)$/);
    const badChoice = await cli("alarm", "list", "--acknowledged", "maybe");
    expect(badChoice.code).toBe(1);
    expect(badChoice.err).toMatch(/--acknowledged/);
    const missing = await cli("alarm", "list", "--owner", "hq.nothing");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
  });

  it("acknowledges, alone and in bulk, shows the timeline, unacknowledges and resolves", async () => {
    const one = ids["hq.display-1"]!;
    const two = ids["hq.display-2"]!;
    const acked = await cli(
      "alarm",
      "ack",
      one,
      "--comment",
      "checking the PSU",
      "--expires",
      "2h",
    );
    expect(acked.code, acked.err).toBe(0);
    expect(acked.out).toBe(`acknowledged ${one} (hq.display-1)`);
    const shown = await cli("alarm", "show", one);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/^lifecycle\s+open$/m);
    expect(shown.out).toMatch(/^acknowledgement\s+root at .*: checking the PSU \(until /m);
    expect(shown.out).toMatch(/^SEQ\s+AT\s+EVENT\s+BY\s+DETAIL$/m);
    expect(shown.out).toMatch(/^1\s+\S+\s+fired\s+sample/m);
    expect(shown.out).toMatch(/^2\s+\S+\s+acknowledged\s+\S+\s+checking the PSU$/m);

    const badExpiry = await cli("alarm", "ack", one, "--comment", "x", "--expires", "forever");
    expect(badExpiry.code).toBe(1);
    expect(badExpiry.err).toMatch(/--expires: "forever"/);

    const bulk = await cli("alarm", "ack", one, two, "--comment", "both, on site");
    expect(bulk.code, bulk.err).toBe(0);
    expect(bulk.out).toBe("acknowledged 2 alarms");
    const acknowledged = await json<{ items: { id: string }[] }>(
      "alarm",
      "list",
      "--acknowledged",
      "true",
    );
    expect(acknowledged.items.map((a) => a.id).sort()).toEqual([one, two].sort());
    const none = await cli("alarm", "ack", one, randomUUID(), "--comment", "all or none");
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/404/);

    const unacked = await cli("alarm", "unack", two);
    expect(unacked.code, unacked.err).toBe(0);
    expect((await json<{ acknowledgement: unknown }>("alarm", "show", two)).acknowledgement).toBe(
      null,
    );

    const resolved = await cli("alarm", "resolve", two, "--reason", "display replaced");
    expect(resolved.code, resolved.err).toBe(0);
    expect(resolved.out).toBe(`resolved ${two} (hq.display-2)`);
    const again = await cli("alarm", "resolve", two, "--reason", "again");
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/409/);
    expect(
      (await json<{ items: unknown[] }>("alarm", "list", "--state", "resolved")).items,
    ).toHaveLength(1);
  });

  it("creates, lists, shows, updates, previews and deletes a rule", async () => {
    const bad = await cli(
      "rule",
      "create",
      ...["--name", "broken", "--severity", "warning", "--fire", 'signals["reachable"] =='],
    );
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/fire/);
    expect(bad.err).toMatch(/line 1, column \d+/);
    const badScope = await cli(
      "rule",
      "create",
      ...["--name", "x", "--severity", "info", "--fire", "true", "--scope", "building"],
    );
    expect(badScope.code).toBe(1);
    expect(badScope.err).toMatch(/--scope: "building"/);

    const created = await cli(
      "rule",
      "create",
      ...["--name", "display-down", "--severity", "warning"],
      ...["--fire", 'signals["reachable"] == false', "--sustain-seconds", "60"],
      ...["--scope", "location:hq"],
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/^name\s+display-down$/m);

    const listed = await cli("rule", "list", "--filter", "origin=custom");
    expect(listed.out.split("\n")[1]).toMatch(
      /^display-down\s+warning\s+custom\s+location:hq\s+60s\s+true\s+signals\["reachable"\] == false/,
    );
    const shown = await json<{ version: number }>("rule", "show", "display-down");
    const updated = await cli(
      "rule",
      "update",
      "display-down",
      ...["--severity", "critical", "--version", String(shown.version)],
    );
    expect(updated.code, updated.err).toBe(0);
    expect(updated.out).toMatch(/^severity\s+critical$/m);

    const preview = await cli("rule", "preview", "display-down", "--hours", "1");
    expect(preview.code, preview.err).toBe(0);
    const lines = preview.out.split("\n");
    expect(lines[0]).toMatch(/^2 episodes over 1 h \(2 owners, \d+ samples\)$/);
    expect(lines[1]).toMatch(/^OWNER\s+INSTANCE\s+FIRED\s+CLEARED$/);
    expect(
      lines
        .slice(2)
        .map((l) => l.split(/\s+/)[0])
        .sort(),
    ).toEqual(["hq.display-1", "hq.display-2"]);
    expect(lines[2]).toMatch(/still firing$/);
    const tooLong = await cli("rule", "preview", "display-down", "--hours", "1000");
    expect(tooLong.code).toBe(1);
    expect(tooLong.err).toMatch(/hours/);

    expect((await cli("rule", "delete", "display-down")).code).toBe(0);
    expect((await cli("rule", "get", "display-down")).code).toBe(1);
  });

  it("shows the health of a component or a location, since when and why, with its history", async () => {
    const api = await json<{ verdict: string; since: string; owner: { kind: string } }>(
      "health",
      "hq.display-1",
    );
    expect(api.owner.kind).toBe("component");
    const shown = await cli("health", "hq.display-1");
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/^owner\s+component hq\.display-1$/m);
    expect(shown.out).toMatch(new RegExp(`^verdict\\s+${api.verdict}$`, "m"));
    expect(shown.out).toMatch(new RegExp(`^since\\s+${api.since.replace(/\./g, "\\.")}$`, "m"));
    expect(shown.out).toMatch(/^why\s+\S/m);

    const location = await cli("health", "hq", "--history");
    expect(location.code, location.err).toBe(0);
    expect(location.out).toMatch(/^owner\s+location hq$/m);
    expect(location.out).toMatch(/^Availability (\d+\.\d\d%|unknown) from \S+ to \S+$/m);
    expect(location.out).toMatch(/^AT\s+VERDICT\s+PREVIOUS\s+WHY$/m);

    const wrongKind = await cli("health", "hq", "--kind", "system");
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.err).toMatch(/404/);
    const missing = await cli("health", "hq.nothing");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
  });

  it("says why an alarm did not notify (held by a window) and lists the suppressed lane", async () => {
    const one = ids["hq.display-1"]!;
    const window = { id: randomUUID(), name: "hq-patching", label: null };
    const suppression = {
      since: new Date().toISOString(),
      windows: [window],
      silences: [],
      root: null,
    };
    const { db, close } = connectDatabase({ url: harness.databaseUrl, max: 1 });
    try {
      // As the transitions hold an alarm: its suppression and a `suppressed` event, one transaction;
      // and an action rule with the default matchers (unsuppressed transitions only).
      await db.transaction(async (tx) => {
        const run = (text: string) => tx.execute(text as never);
        const json = `'${JSON.stringify(suppression)}'::jsonb`;
        await run(
          `update alarm set suppressed = true, suppression = ${json}, seq = seq + 1 where id = '${one}'`,
        );
        await run(`insert into alarm_event (alarm_id, seq, kind, at, value)
          select id, seq, 'suppressed', now(), ${json} from alarm where id = '${one}'`);
        const endpoint = randomUUID();
        await run(`insert into webhook_endpoint (id, name, url, secret_ciphertext)
          values ('${endpoint}', 'pager', 'https://hooks.example.com/x', 'sealed')`);
        await run(`insert into action_rule (id, name, matchers, scope_kind, endpoint_ids)
          values ('${randomUUID()}', 'page-critical', '{"severities": ["critical"]}', 'all', array['${endpoint}']::uuid[])`);
      });
    } finally {
      await close();
    }

    const why = await cli("alarm", "why", one);
    expect(why.code, why.err).toBe(0);
    expect(why.out).toMatch(/^notified\s+no webhook delivered$/m);
    expect(why.out).toMatch(/^suppressed\s+yes since \S+: window hq-patching$/m);
    expect(why.out).toMatch(/^SEQ\s+AT\s+EVENT\s+REASONS$/m);
    expect(why.out).toMatch(/^\d+\s+\S+\s+suppressed\s+window hq-patching$/m);
    // The fired transition was not held and matched; the suppressed one was held: no match.
    expect(why.out).toMatch(
      /^#1 \S+ fired \(not held; waiting; facts from outbox\)\n {2}action rules: page-critical matched \[changed since\]$/m,
    );
    expect(why.out).toMatch(
      /^#\d+ \S+ suppressed \(held; waiting; facts from outbox\)\n {2}action rules: page-critical no \(suppressed\)\n {2}no webhook$/m,
    );
    const asJson = await json<{
      notified: boolean;
      transitions: { kind: string; suppressed: boolean }[];
    }>("alarm", "why", one);
    expect(asJson.notified).toBe(false);
    expect(asJson.transitions.at(-1)).toMatchObject({ kind: "suppressed", suppressed: true });

    const lane = await cli("alarm", "list", "--suppressed", "true");
    expect(lane.code, lane.err).toBe(0);
    expect(lane.out.split("\n")[1]).toMatch(
      /critical\s+open\s+\S+.*\s+window hq-patching\s+hq\.display-1/,
    );
    expect(lane.out).toMatch(/\(1 of 1\)$/);
    const shown = await cli("alarm", "show", one);
    expect(shown.out).toMatch(/^suppression\s+window hq-patching$/m);
    const malformed = await cli("alarm", "why", "not-an-id");
    expect(malformed.code).toBe(1);
    expect(malformed.err).toMatch(/id/);
  });

  it("is wired into the omniglass binary", async () => {
    const help = await omniglass(["alarm", "--help"]);
    expect(help.stdout).toMatch(/ack\|acknowledge/);
    expect((await omniglass(["rule", "--help"])).stdout).toMatch(/preview/);
  });
});
