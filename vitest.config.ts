import { defineConfig } from "vitest/config";

// Two tiers told apart by file name: `*.test.ts` are pure units; `*.integration.test.ts` run against
// a real PostgreSQL and a real nats-server started once by the global setup. Browser tests are
// Playwright's (apps/web/e2e).
export default defineConfig({
  test: {
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
