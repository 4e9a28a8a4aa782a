/**
 * What the first `npm start` makes once in the data directory and later starts reuse: the demo
 * owner's credentials and the master key of secret variables.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unsafeBootstrapOwner } from "@omniglass/gateway";

export interface DemoCredentials {
  username: string;
  password: string;
  token: string | null;
}

/**
 * The first start bootstraps an owner `admin` with a random password, kept (0600) in .data so later
 * starts can print it again; later starts change nothing. A shared or production database should
 * use `pnpm omniglass bootstrap` instead, so this runs only for the embedded database.
 */
export async function ensureDemoOwner(
  db: Parameters<typeof unsafeBootstrapOwner>[0]["db"],
  dataDir: string,
): Promise<DemoCredentials> {
  const DEMO_FILE = path.join(dataDir, "demo-credentials.json");
  if (existsSync(DEMO_FILE)) {
    const saved = JSON.parse(readFileSync(DEMO_FILE, "utf8")) as {
      username: string;
      password: string;
    };
    return { ...saved, token: null };
  }
  const saved = { username: "admin", password: randomBytes(12).toString("base64url") };
  const result = await unsafeBootstrapOwner({
    db,
    meta: { requestId: randomUUID(), source: "cli", actor: null, realActor: null, ip: null },
    ...saved,
  });
  writeFileSync(DEMO_FILE, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return { ...saved, token: result.token };
}

/**
 * The local install's master key for secret variables: 32 random bytes, base64, generated on the
 * first start into .data/secret.key (0600) and reused after, so stored secrets stay readable.
 */
export function ensureSecretKey(dataDir: string): string {
  const file = path.join(dataDir, "secret.key");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = randomBytes(32).toString("base64");
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
