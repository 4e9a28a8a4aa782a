import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  connectDatabase,
  signIn,
  unsafeBootstrapOwner,
  unsafeEnsureDatabase,
  unsafeMigrate,
  unsafeSeedDemoEstate,
  unsafeSeedRegistries,
} from "@omniglass/gateway";
import { unsafeSnapshotTables } from "@omniglass/gateway/testing";
import { afterAll, describe, expect, it, vi } from "vitest";
import { backupCommands } from "../../../apps/cli/src/commands/backup";
import { freePort, startEmbeddedPostgres, type RunningPostgres } from "../src";

const meta = {
  requestId: "backup-test",
  source: "cli" as const,
  actor: null,
  realActor: null,
  ip: null,
};

/** Runs `omniglass backup|restore …` in-process; returns what it printed. */
async function cli(name: "backup" | "restore", args: string[]) {
  const printed: string[] = [];
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((line: string) => void printed.push(line));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((line: string) => void printed.push(line));
  try {
    process.exitCode = undefined;
    await backupCommands()
      .find((c) => c.name() === name)!
      .parseAsync(args, { from: "user" });
    return { printed: printed.join("\n"), code: process.exitCode ?? 0 };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = undefined;
  }
}

describe("omniglass backup / restore (embedded PostgreSQL)", () => {
  let postgres: RunningPostgres | null = null;
  let dir = "";
  afterAll(async () => {
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("round trip: backup of the running server → wipe the data dir → restore → the same tables, and the admin signs in", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "omniglass-backup-it-"));
    await chmod(dir, 0o755);
    const dataDir = path.join(dir, "postgres");
    const port = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir, port, durable: false });
    const url = await unsafeEnsureDatabase(postgres.serverUrl, "omniglass");
    await unsafeMigrate(url);
    let database = connectDatabase({ url, max: 2 });
    await unsafeSeedRegistries(database.db);
    await unsafeBootstrapOwner({
      db: database.db,
      meta,
      username: "admin",
      password: "restore-me-please",
    });
    await unsafeSeedDemoEstate(database.db, { owner: "admin" });
    const before = await unsafeSnapshotTables(database.db);
    expect(Number(before.location!.split(":")[0])).toBeGreaterThan(0);

    const file = path.join(dir, "omniglass.backup.tar.gz");
    const backup = await cli("backup", [file, "--data-dir", dataDir]);
    expect(backup.code).toBe(0);
    expect(backup.printed).toMatch(/backup written: .*omniglass\.backup\.tar\.gz .*online/);
    expect(backup.printed).toMatch(/secret key is not in the backup/);

    // Written after the backup: absent once restored (the backup is a point in time).
    await unsafeBootstrapOwner({
      db: database.db,
      meta,
      username: "too-late",
      password: "after-the-backup",
    });
    await database.close();

    // Restore refuses while the server runs, then works on a wiped data directory.
    expect((await cli("restore", [file, "--data-dir", dataDir])).printed).toMatch(/is running/);
    await postgres.stop();
    postgres = null;
    await rm(dataDir, { recursive: true, force: true });
    const restore = await cli("restore", [file, "--data-dir", dataDir]);
    expect(restore.code).toBe(0);
    expect(restore.printed).toMatch(/restored the backup of/);
    expect(restore.printed).toMatch(/secret key is not in the backup/);

    const serverLog: string[] = [];
    postgres = await startEmbeddedPostgres({
      dataDir,
      port,
      durable: false,
      log: (line) => serverLog.push(line),
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${serverLog.join("\n")}`);
    });
    database = connectDatabase({ url, max: 2 });
    try {
      expect(await unsafeSnapshotTables(database.db)).toEqual(before);
      const session = await signIn({
        db: database.db,
        meta,
        username: "admin",
        password: "restore-me-please",
        userAgent: null,
      });
      expect(session.principal.name).toBe("admin");
      await expect(
        signIn({
          db: database.db,
          meta,
          username: "too-late",
          password: "after-the-backup",
          userAgent: null,
        }),
      ).rejects.toThrow();
    } finally {
      await database.close();
    }
  }, 90_000);
});
