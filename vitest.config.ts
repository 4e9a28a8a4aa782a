import { defineConfig } from "vitest/config";

// Two tiers told apart by file name: `*.test.ts` are pure units; `*.integration.test.ts` run against
// a real PostgreSQL and a real nats-server started once by the global setup. Browser tests are
// Playwright's (apps/web/e2e).
export default defineConfig({
  test: {
    // Most integration files wait on real processes and clocks (a sustain period, a window's end, a
    // nats-server restart) rather than the CPU: three at a time on two cores halves the run
    // (704 s → 323 s measured here, every test passing), where the default ran one at a time.
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "{apps,packages,tooling}/*/src/**/*.test.ts",
            "{apps,packages,tooling}/*/test/**/*.test.ts",
          ],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["{apps,packages,tooling}/*/{src,test}/**/*.integration.test.ts"],
          exclude: ["**/node_modules/**"],
          environment: "node",
          globalSetup: ["tooling/infra/src/vitest/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
    ],
  },
});
