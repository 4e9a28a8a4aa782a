// Makes a fresh machine of this kind ready: pnpm, Debian packages, workspace dependencies.
// Plain Node with no dependencies, because it runs before anything is installed.
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PNPM_VERSION = "12.21.0";

const say = (line) => console.log(`[omniglass] ${line}`);

function has(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: "inherit", cwd: ROOT, ...options });
}

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(
      `[omniglass] Node ${process.versions.node} is too old: Node 20.19 or newer is required.`,
    );
    process.exit(1);
  }
}

function ensurePnpm() {
  const current = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (current.status === 0 && current.stdout.trim() === PNPM_VERSION) return;
  say(`installing pnpm ${PNPM_VERSION} (npm i -g)`);
  run("npm", ["install", "--global", `pnpm@${PNPM_VERSION}`, "--no-fund", "--no-audit"]);
}

/** Debian packages by the command they provide; installed with apt-get when running as root. */
export function ensureDebianPackages(packages) {
  const missing = packages.filter(({ command }) => !has(command));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  if (process.getuid?.() !== 0) {
    console.error(
      `[omniglass] missing system packages: ${names.join(", ")}. Install them (sudo apt-get install -y ${names.join(" ")}) and run again.`,
    );
    process.exit(1);
  }
  say(`installing Debian packages: ${names.join(", ")}`);
  run("apt-get", ["update", "-qq"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...names], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

function installDependencies() {
  say("installing dependencies (pnpm install --frozen-lockfile)");
  run("pnpm", ["install", "--frozen-lockfile", "--reporter=append-only"], {
    env: { ...process.env, CI: process.env.CI ?? "true" },
  });
}

export function bootstrap({ debian = [] } = {}) {
  checkNode();
  ensurePnpm();
  ensureDebianPackages(debian);
  installDependencies();
}

/** Runs a command in the foreground; Ctrl-C reaches it (same process group) and we wait for it. */
export function handOver(command, args, env = process.env) {
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => {});
  const result = spawnSync(command, args, { stdio: "inherit", cwd: ROOT, env });
  process.exit(result.status ?? 1);
}
