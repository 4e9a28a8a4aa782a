// `npm test`: set up what is missing, then every tier: lint, format, typecheck, unit,
// integration (real PostgreSQL and nats-server), and browser tests (Chromium against next start).
import { spawnSync } from "node:child_process";
import { bootstrap, ROOT } from "./bootstrap.mjs";

bootstrap({
  debian: [
    { command: "nats-server", pkg: "nats-server" },
    { command: "chromium", pkg: "chromium" },
  ],
});

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" };
const steps = [
  ["workspace consistency", "pnpm", ["exec", "sherif"]],
  ["format", "pnpm", ["exec", "prettier", "--check", "--log-level", "warn", "."]],
  [
    "lint and typecheck",
    "pnpm",
    ["exec", "turbo", "run", "lint", "typecheck", "--output-logs=errors-only"],
  ],
  ["unit and integration tests", "pnpm", ["exec", "vitest", "run"]],
  [
    "console build",
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@omniglass/web", "--output-logs=errors-only"],
  ],
  ["browser tests", "pnpm", ["--filter", "@omniglass/web", "exec", "playwright", "test"]],
];

for (const [name, command, args] of steps) {
  console.log(`\n[omniglass] ── ${name} ──`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", cwd: ROOT, env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`[omniglass] ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`[omniglass] ${name} passed in ${seconds} s`);
}
