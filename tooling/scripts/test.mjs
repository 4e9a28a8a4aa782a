// `npm test`: set up what is missing, then every tier: lint, format, typecheck, unit,
// integration (real PostgreSQL and nats-server), and browser tests (Chromium against next start).
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { bootstrap, ROOT } from "./bootstrap.mjs";
import { findSecrets } from "./scan-secrets.mjs";

bootstrap({
  debian: [
    { command: "nats-server", pkg: "nats-server" },
    { command: "chromium", pkg: "chromium" },
    // Collection tests poll real peers: Debian's SNMP agent (and its tools), and ping for ICMP.
    { command: "snmpd", pkg: "snmpd" },
    { command: "snmpget", pkg: "snmp" },
    { command: "ping", pkg: "iputils-ping" },
  ],
});

const RESULTS = path.join(ROOT, "test-results");
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });
const VITEST_JSON = path.join(RESULTS, "vitest.json");
const PLAYWRIGHT_JSON = path.join(RESULTS, "playwright.json");

const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  FORCE_COLOR: "0",
  PLAYWRIGHT_JSON_OUTPUT_NAME: PLAYWRIGHT_JSON,
};
const steps = [
  ["workspace consistency", "pnpm", ["exec", "sherif"]],
  ["format", "pnpm", ["exec", "prettier", "--check", "--log-level", "warn", "."]],
  [
    "lint and typecheck",
    "pnpm",
    ["exec", "turbo", "run", "lint", "typecheck", "--output-logs=errors-only"],
  ],
  [
    "unit and integration tests",
    "pnpm",
    [
      "exec",
      "vitest",
      "run",
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${VITEST_JSON}`,
    ],
  ],
  [
    "console build",
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@omniglass/web", "--output-logs=errors-only"],
  ],
  [
    "browser tests",
    "pnpm",
    ["--filter", "@omniglass/web", "exec", "playwright", "test", "--reporter=list,json"],
  ],
];

// Everything the run prints is also kept, to be searched for secrets at the end.
const RUN_LOG = path.join(RESULTS, "npm-test.log");

/** Runs one step, its output shown as it comes and kept in RUN_LOG; resolves with its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"], cwd: ROOT, env });
    const tee = (to) => (chunk) => {
      to.write(chunk);
      appendFileSync(RUN_LOG, chunk);
    };
    child.stdout.on("data", tee(process.stdout));
    child.stderr.on("data", tee(process.stderr));
    child.on("error", () => resolve(1));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

for (const [name, command, args] of steps) {
  console.log(`\n[omniglass] ── ${name} ──`);
  const started = Date.now();
  let status = await run(command, args);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // vitest has been seen to exit 0 with a failed test in its report: its JSON decides too.
  if (status === 0 && args.includes(`--outputFile.json=${VITEST_JSON}`)) {
    const report = JSON.parse(readFileSync(VITEST_JSON, "utf8"));
    if (report.numFailedTests > 0 || report.success === false) status = 1;
  }
  if (status !== 0) {
    console.error(`[omniglass] ${name} failed after ${seconds} s`);
    process.exit(status);
  }
  console.log(`[omniglass] ${name} passed in ${seconds} s`);
}

// No token, secret, password value or SQL parameter list in anything the run printed.
const leaks = findSecrets(readFileSync(RUN_LOG, "utf8"));
if (leaks.length > 0) {
  for (const leak of leaks.slice(0, 20))
    console.error(
      `[omniglass] secret in the run's output, ${RUN_LOG}:${leak.line}: ${leak.kind} (${leak.excerpt})`,
    );
  console.error(`[omniglass] ${leaks.length} secret(s) printed during the run`);
  process.exit(1);
}
console.log(
  `[omniglass] the run's output (${RUN_LOG}) holds no token, secret or SQL parameter list`,
);

// One closing line for every tier that counts tests, in the plain form CI reads.
const vitest = JSON.parse(readFileSync(VITEST_JSON, "utf8"));
const playwright = JSON.parse(readFileSync(PLAYWRIGHT_JSON, "utf8"));
const passed = vitest.numPassedTests + playwright.stats.expected;
const failed = vitest.numFailedTests + playwright.stats.unexpected + playwright.stats.flaky;
console.log(
  `\n[omniglass] unit + integration: ${vitest.numPassedTests} passed; browser: ${playwright.stats.expected} passed`,
);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
