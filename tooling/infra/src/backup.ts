/**
 * Backup and restore of the embedded PostgreSQL (`npm start`'s one-machine default).
 *
 * The embedded server is PostgreSQL 18 and ships no pg_dump (the Debian pg_dump here is 15, which
 * refuses a newer server), so a backup is a *physical* copy of the cluster made the way PostgreSQL
 * documents for a running server: `pg_backup_start` (one session held open), the data directory
 * copied, `pg_backup_stop`, then the WAL written meanwhile and the `backup_label` it returns. A
 * restore unpacks it into an empty data directory; the next start replays that WAL to the
 * consistent point and is then exactly the database at the end of the backup. A stopped cluster
 * is copied as it is (it was shut down cleanly).
 *
 * The archive (tar.gz) holds `postgres/` (the cluster), `postgres.credentials.json` (the loopback
 * password of the cluster's own user, which lives inside it) and `omniglass-backup.json`. It does
 * not hold the secret key that seals device credentials (`.data/secret.key` /
 * `OMNIGLASS_SECRET_KEY`): keep that separately.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { isProcessAlive } from "./processes";

const run = promisify(execFile);

export const SECRET_KEY_REMINDER =
  "The secret key is not in the backup: keep .data/secret.key (or OMNIGLASS_SECRET_KEY) separately — without it the restored database cannot read stored device credentials.";

export interface BackupManifest {
  format: "omniglass-physical-1";
  createdAt: string;
  postgresVersion: string;
  /** `online`: copied from the running server in backup mode; `offline`: a stopped cluster. */
  mode: "online" | "offline";
}

interface Credentials {
  user: string;
  password: string;
}

/** The embedded cluster's postmaster, when one runs: its pid and port (from postmaster.pid). */
async function runningPostmaster(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  if (!text) return null;
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? { pid, port } : null;
}

/**
 * Writes a consistent backup of the embedded cluster in `dataDir` (default `.data/postgres`) to
 * `file` (tar.gz). The server may be running (online backup) or stopped.
 */
export async function backupEmbeddedPostgres({
  dataDir,
  file,
}: {
  dataDir: string;
  file: string;
}): Promise<BackupManifest & { bytes: number }> {
  if (!existsSync(path.join(dataDir, "PG_VERSION")))
    throw new Error(`no embedded PostgreSQL cluster in ${dataDir}`);
  const parent = path.dirname(dataDir);
  const name = path.basename(dataDir);
  const credentialsFile = path.join(parent, `${name}.credentials.json`);
  const credentials = JSON.parse(await readFile(credentialsFile, "utf8")) as Credentials;
  const postgresVersion = (await readFile(path.join(dataDir, "PG_VERSION"), "utf8")).trim();
  const staging = await mkdtemp(path.join(tmpdir(), "omniglass-backup-"));
  const tarFile = path.join(staging, "backup.tar");
  const target = path.resolve(file);
  // The cluster's own files; postmaster.pid/.opts belong to the running server, not the copy.
  const tarArgs = (extra: string[]) => [
    "--warning=no-file-changed",
    "--warning=no-file-removed",
    "--warning=no-file-shrank",
    "--ignore-failed-read",
    "--exclude",
    `${name}/postmaster.pid`,
    "--exclude",
    `${name}/postmaster.opts`,
    ...extra,
  ];
  // tar exits 1 when a file changed while it was read: expected while the server writes (the
  // WAL replayed at restore covers it).
  const tar = (args: string[]) =>
    run("tar", args).catch((error: { code?: number }) => {
      if (error.code !== 1) throw error;
    });
  try {
    const postmaster = await runningPostmaster(dataDir);
    let mode: BackupManifest["mode"] = "offline";
    const extraFiles: string[] = [];
    if (postmaster) {
      mode = "online";
      const client = new pg.Client({
        host: "127.0.0.1",
        port: postmaster.port,
        user: credentials.user,
        password: credentials.password,
        database: "postgres",
        application_name: "omniglass-backup",
      });
      await client.connect();
      try {
        await client.query("select pg_backup_start('omniglass', true)");
        await tar([
          "-cf",
          tarFile,
          "-C",
          parent,
          ...tarArgs(["--exclude", `${name}/pg_wal/*`]),
          name,
        ]);
        const stop = await client.query<{ labelfile: string; spcmapfile: string | null }>(
          "select labelfile, spcmapfile from pg_backup_stop(false)",
        );
        const row = stop.rows[0]!;
        await writeFile(path.join(staging, "backup_label"), row.labelfile);
        extraFiles.push("backup_label");
        if (row.spcmapfile) {
          await writeFile(path.join(staging, "tablespace_map"), row.spcmapfile);
          extraFiles.push("tablespace_map");
        }
      } finally {
        await client.end().catch(() => {});
      }
      // The WAL from the backup's start to its end, copied after the end was written.
      await tar(["-rf", tarFile, "-C", parent, ...tarArgs([]), `${name}/pg_wal`]);
    } else {
      if (existsSync(path.join(dataDir, "postmaster.pid")))
        throw new Error(
          `${dataDir}/postmaster.pid names no running server, yet the cluster was not shut down cleanly: start it once (npm start) and back up again`,
        );
      await tar(["-cf", tarFile, "-C", parent, ...tarArgs([]), name]);
    }
    // Files written here go into the cluster directory of the archive, under its name.
    for (const extra of extraFiles) {
      await tar([
        "-rf",
        tarFile,
        "-C",
        staging,
        "--transform",
        `s|^${extra}$|${name}/${extra}|`,
        extra,
      ]);
    }
    const manifest: BackupManifest = {
      format: "omniglass-physical-1",
      createdAt: new Date().toISOString(),
      postgresVersion,
      mode,
    };
    await writeFile(path.join(staging, "omniglass-backup.json"), JSON.stringify(manifest, null, 2));
    await tar(["-rf", tarFile, "-C", staging, "omniglass-backup.json"]);
    await tar([
      "-rf",
      tarFile,
      "-C",
      parent,
      "--transform",
      `s|^${name}.credentials.json$|postgres.credentials.json|`,
      `${name}.credentials.json`,
    ]);
    await run("gzip", ["-f", tarFile]);
    await rename(`${tarFile}.gz`, target).catch(async () => {
      // Another file system: copy through.
      await run("cp", [`${tarFile}.gz`, target]);
    });
    return { ...manifest, bytes: (await stat(target)).size };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Unpacks a backup into `dataDir` (default `.data/postgres`), which must be absent or empty (or
 * is moved aside with `force`). The server must be stopped; the next start replays the WAL.
 */
export async function restoreEmbeddedPostgres({
  dataDir,
  file,
  force = false,
}: {
  dataDir: string;
  file: string;
  force?: boolean;
}): Promise<BackupManifest & { movedAside: string | null }> {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new Error(`no backup at ${source}`);
  if (await runningPostmaster(dataDir))
    throw new Error(`PostgreSQL is running on ${dataDir}: stop npm start first (Ctrl-C)`);
  const parent = path.dirname(dataDir);
  const name = path.basename(dataDir);
  const staging = await mkdtemp(path.join(parent, ".restore-"));
  try {
    await run("tar", ["-xzf", source, "-C", staging]);
    const manifestText = await readFile(path.join(staging, "omniglass-backup.json"), "utf8").catch(
      () => null,
    );
    if (!manifestText) throw new Error(`${source} is not an Omniglass backup (no manifest)`);
    const manifest = JSON.parse(manifestText) as BackupManifest;
    if (manifest.format !== "omniglass-physical-1")
      throw new Error(`unknown backup format ${String(manifest.format)}`);
    const [cluster] = (await readdir(staging)).filter((entry) =>
      existsSync(path.join(staging, entry, "PG_VERSION")),
    );
    if (!cluster) throw new Error(`${source} holds no PostgreSQL cluster`);
    let movedAside: string | null = null;
    const existing = await readdir(dataDir).catch(() => null);
    if (existing && existing.length > 0) {
      if (!force)
        throw new Error(
          `${dataDir} is not empty: move it away first, or pass --force to keep it as ${name}.before-restore-<time>`,
        );
      movedAside = path.join(parent, `${name}.before-restore-${Date.now()}`);
      await rename(dataDir, movedAside);
    } else if (existing) {
      await rm(dataDir, { recursive: true, force: true });
    }
    await rename(path.join(staging, cluster), dataDir);
    // PostgreSQL insists on a private data directory owned by the user it runs as: as root, tar
    // kept the cluster files' owner (the postgres user); the files the backup added get it too.
    await run("chmod", ["700", dataDir]);
    if (process.getuid?.() === 0)
      await run("chown", ["-R", `--reference=${path.join(dataDir, "PG_VERSION")}`, dataDir]);
    const credentials = path.join(parent, `${name}.credentials.json`);
    await rename(path.join(staging, "postgres.credentials.json"), credentials);
    return { ...manifest, movedAside };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
