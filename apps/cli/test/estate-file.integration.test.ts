import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  acquireEstateLock,
  connectDatabase,
  loadActor,
  type DatabaseHandle,
} from "@omniglass/gateway";
import { serverCommands } from "../src/program";
import { omniglass, startInProcessCli, type InProcessCli } from "./harness";

/** `omniglass estate …` (issue #15): the estate as files. */

function estateFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "omniglass-estate-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const ENTRY = `version: 1
include:
  - rooms/r1.yaml
locations:
  campus: { type: campus, label: Main campus }
`;

const ROOM = `locations:
  campus.r1: { type: room, label: Room 1 }
components:
  campus.r1.display:
    template: generic-display@2
    address: 10.0.0.11
`;

describe("omniglass estate validate", () => {
  it("exits 0 on valid files and reads their includes", async () => {
    const dir = estateFolder({ "estate.yaml": ENTRY, "rooms/r1.yaml": ROOM });
    const result = await omniglass(["estate", "validate", path.join(dir, "estate.yaml")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("valid (2 files, 3 objects)");
  }, 60_000);

  it("names a typo'd key with file:line:column and the key it probably meant, exit 1", async () => {
    const dir = estateFolder({
      "estate.yaml": ENTRY,
      "rooms/r1.yaml": ROOM.replace("    address:", "    adress:"),
    });
    const result = await omniglass(["estate", "validate", path.join(dir, "estate.yaml")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `${path.join(dir, "rooms/r1.yaml")}:6:5  unknown-key  unknown key \`adress\``,
    );
    expect(result.stdout).toContain("(did you mean `address`?)");
    expect(result.stderr).toContain("is not valid: 1 error");
  }, 60_000);

  it("prints the diagnostics as JSON with --json, and a missing file is a diagnostic", async () => {
    const dir = estateFolder({ "estate.yaml": ENTRY });
    const result = await omniglass(["estate", "validate", "--json", path.join(dir, "estate.yaml")]);
    expect(result.code).toBe(1);
    const answer = JSON.parse(result.stdout) as {
      ok: boolean;
      diagnostics: { file: string; line: number; column: number; code: string }[];
    };
    expect(answer.ok).toBe(false);
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({
        file: path.join(dir, "estate.yaml"),
        line: 3,
        column: 5,
        code: "include-missing",
      }),
    ]);
  }, 60_000);
});

describe("omniglass estate against a server", () => {
  let harness: InProcessCli;
  let handle: DatabaseHandle;
  let t: string[];
  let dir: string;
  const cli = (...args: string[]) => harness.cli(...args, ...t);
  const q = async <R>(text: string) => (await handle.db.execute(text as never)).rows as R[];
  const entry = () => path.join(dir, "estate.yaml");
  /** The plan id `estate plan` printed on its last line but one (`plan <id>  <status>  …`). */
  const planIdOf = (out: string) => /^plan ([0-9a-f]+) {2}/m.exec(out)![1]!;

  beforeAll(async () => {
    harness = await startInProcessCli(serverCommands);
    handle = connectDatabase({ url: harness.databaseUrl });
    t = ["--url", "http://127.0.0.1", "--token", harness.token];
    dir = mkdtempSync(path.join(tmpdir(), "omniglass-estate-"));
    for (const args of [
      ["location", "create", "--name", "hq", "--type", "campus"],
      ["location", "create", "--name", "r1", "--type", "room", "--parent", "hq"],
      ["component", "create", "--name", "display", "--location", "hq.r1"],
    ]) {
      const extra =
        args[0] === "component"
          ? ["--template", "http-json-display@1", "--address", "10.0.0.11"]
          : [];
      const made = await cli(...args, ...extra);
      expect(made.code, made.err).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
    await harness?.stop();
  });

  it("import > estate.yaml, then plan estate.yaml: no changes (and applying it adopts)", async () => {
    const imported = await cli("estate", "import");
    expect(imported.code, imported.err).toBe(0);
    expect(imported.out).toContain("hq.r1.display");
    writeFileSync(entry(), `${imported.out}\n`);
    expect((await omniglass(["estate", "validate", entry()])).code).toBe(0);

    const planned = await cli("estate", "plan", entry(), "--out", path.join(dir, "plan.json"));
    expect(planned.code, planned.err).toBe(0);
    expect(planned.out).toMatch(/^plan [0-9a-f]+ {2}pending {2}no changes$/m);
    const artifact = JSON.parse(readFileSync(path.join(dir, "plan.json"), "utf8")) as {
      planId: string;
      changes: unknown[];
      adopt: string[];
    };
    expect(artifact.changes).toEqual([]);
    expect(artifact.adopt).toContain("component.hq.r1.display");
    expect(artifact.planId.startsWith(planIdOf(planned.out))).toBe(true);

    const applied = await cli("estate", "apply", planIdOf(planned.out));
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toMatch(/^applied plan [0-9a-f]+: \+0 ~0 ±0 -0, adopted \d+/);
    const status = await cli("estate", "status");
    expect(status.out).toMatch(/^managed +.*1 component/m);
    expect(status.out).toMatch(/^lock +free$/m);
  });

  it("a room added to the file plans as creates and applies as one apply; a typo'd file is refused before sending", async () => {
    const text = readFileSync(entry(), "utf8");
    const withRoom = text
      .replace(/^locations:\n/m, "locations:\n  hq.r2: { type: room, label: Room 2 }\n")
      .replace(
        /^components:\n/m,
        "components:\n  hq.r2.display: { template: http-json-display@1, address: 10.0.0.21 }\n",
      );
    writeFileSync(entry(), withRoom.replace("label: Room 2", "lable: Room 2"));
    const typo = await cli("estate", "plan", entry());
    expect(typo.code).toBe(1);
    expect(typo.err).toContain("unknown key `lable`");
    expect(typo.err).toContain("(did you mean `label`?)");

    writeFileSync(entry(), withRoom);
    const planned = await cli("estate", "plan", entry());
    expect(planned.code, planned.err).toBe(0);
    expect(planned.out).toContain("hq.r2");
    expect(planned.out).toMatch(/2 change\(s\)$/m);
    const applied = await cli("estate", "apply", planIdOf(planned.out));
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toMatch(/^applied plan [0-9a-f]+: \+2 ~0 ±0 -0/);
    expect(
      await q(
        "select count(*)::int as n from audit_log where verb = 'apply' and resource = 'estate-plan'",
      ),
    ).toEqual([{ n: 2 }]);
    const got = await cli("component", "get", "hq.r2.display", "--json");
    expect(got.code, got.err).toBe(0);
    const plans = await cli("estate", "plans");
    expect(plans.out).toMatch(/applied/);
  });

  it("a plan, a change through the API, then apply: refused as stale naming the change; refresh shows the drift and writes the patch", async () => {
    // A label edit in the file: a plan with something to apply.
    writeFileSync(
      entry(),
      readFileSync(entry(), "utf8").replace("label: Room 2", "label: Room two"),
    );
    const made = await cli("estate", "plan", entry());
    expect(made.code, made.err).toBe(0);
    const updated = await cli("component", "update", "hq.r2.display", "--label", "Edited by hand");
    expect(updated.code, updated.err).toBe(0);

    const stale = await cli("estate", "apply", planIdOf(made.out));
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/estate changed since/);
    expect(stale.err).toMatch(/component\.[0-9a-f-]+: update at .* by root/);

    const patch = path.join(dir, "drift.yaml");
    const drift = await cli("estate", "refresh", "--patch", patch);
    expect(drift.code, drift.err).toBe(0);
    expect(drift.out).toContain("~ component.hq.r2.display");
    expect(drift.out).toContain('label: null → "Edited by hand"');
    expect(readFileSync(patch, "utf8")).toContain("Edited by hand");
  });

  it("apply refused while the lock is held, naming holder, purpose and expiry; unlock by id frees it", async () => {
    const made = await cli("estate", "plan", entry());
    expect(made.code, made.err).toBe(0);
    const [root] = await q<{ id: string }>("select id from principal where name = 'root'");
    const lock = await acquireEstateLock(
      handle.db,
      (await loadActor(handle.db, root!.id))!,
      "a hung apply",
    );
    const status = await cli("estate", "status");
    expect(status.out).toContain(`held by root (a hung apply)`);
    expect(status.out).toContain(`id ${lock.lockId}`);
    const refused = await cli("estate", "apply", planIdOf(made.out));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/locked by root \(a hung apply\) until \S+; lock id/);
    expect(refused.err).toContain(`expires ${lock.expiresAt}`);

    const unlocked = await cli("estate", "unlock", lock.lockId);
    expect(unlocked.code, unlocked.err).toBe(0);
    expect(unlocked.out).toContain(`released lock ${lock.lockId} held by root (a hung apply)`);
    const applied = await cli("estate", "apply", planIdOf(made.out));
    expect(applied.code, applied.err).toBe(0);
  });

  it("the planner cannot approve their own plan", async () => {
    const made = await cli("estate", "plan", entry());
    const refused = await cli("estate", "approve", planIdOf(made.out));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/other than/);
  });
  it("webhook endpoints by reference: apply resolves ${env:NAME} from its environment and sends it in the request only; a generated secret is printed once with a warning; import round-trips the reference", async () => {
    const pager = `whsec_${Buffer.alloc(32, 5).toString("base64")}`;
    const imported = await cli("estate", "import");
    expect(imported.code, imported.err).toBe(0);
    writeFileSync(
      entry(),
      `${imported.out}\nwebhookEndpoints:\n  cli-pager:\n    url: https://hooks.example.com/pager\n    secret: \${env:ESTATE_CLI_PAGER}\n  cli-generated:\n    url: https://hooks.example.com/other\n`,
    );
    const planned = await cli(
      "estate",
      "plan",
      entry(),
      "--out",
      path.join(dir, "secret-plan.json"),
    );
    expect(planned.code, planned.err).toBe(0);
    expect(readFileSync(path.join(dir, "secret-plan.json"), "utf8")).toContain("ESTATE_CLI_PAGER");
    // Not set: refused by the CLI before anything is sent, naming the variable.
    delete process.env.ESTATE_CLI_PAGER;
    const refused = await cli("estate", "apply", planIdOf(planned.out));
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain("ESTATE_CLI_PAGER");
    process.env.ESTATE_CLI_PAGER = pager;
    try {
      const applied = await cli("estate", "apply", planIdOf(planned.out));
      expect(applied.code, applied.err).toBe(0);
      expect(applied.err).toMatch(
        /warning: endpoint\.cli-generated was created with a generated signing secret, shown this once/,
      );
      expect(applied.out).toMatch(/^endpoint\.cli-generated secret whsec_[A-Za-z0-9+/=]+$/m);
      expect(`${applied.out}${applied.err}${planned.out}`).not.toContain(pager);
    } finally {
      delete process.env.ESTATE_CLI_PAGER;
    }
    const again = await cli("estate", "import");
    expect(again.out).toContain("secret: ${env:ESTATE_CLI_PAGER}");
    expect(again.out).not.toContain("whsec_");
    writeFileSync(entry(), `${again.out}\n`);
    const replanned = await cli("estate", "plan", entry());
    expect(replanned.out).toMatch(/^plan [0-9a-f]+ {2}pending {2}no changes$/m);
  });
});
