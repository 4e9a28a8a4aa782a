// Shared ESLint flat config. `layer` names the package's place in the dependency
// direction of DESIGN.md §3; the forbidden imports for each layer are written once here.
import tseslint from "typescript-eslint";

const APPS = ["@omniglass/web", "@omniglass/worker", "@omniglass/cli", "@omniglass/web/*"];
const DATABASE = ["drizzle-orm", "drizzle-orm/*", "pg", "pg-*", "postgres"];
const BUS = ["@nats-io/*"];
const NODE_IO = [
  "node:fs",
  "node:fs/*",
  "node:net",
  "node:http",
  "node:child_process",
  "fs",
  "net",
  "http",
  "child_process",
];

/** What each layer must not import (beyond the apps, which nothing imports). */
export const FORBIDDEN = {
  contracts: [...DATABASE, ...BUS, ...NODE_IO, "@omniglass/*"],
  domain: [
    ...DATABASE,
    ...BUS,
    ...NODE_IO,
    "@omniglass/gateway",
    "@omniglass/api",
    "@omniglass/bus",
    "@omniglass/client",
    "@omniglass/estate",
  ],
  // Estate as code, its pure core (files, schema, addresses, plan): above domain, still no I/O.
  estate: [
    ...DATABASE,
    ...BUS,
    ...NODE_IO,
    "@omniglass/gateway",
    "@omniglass/api",
    "@omniglass/bus",
    "@omniglass/client",
  ],
  gateway: [...BUS, "@omniglass/api", "@omniglass/bus", "@omniglass/client"],
  bus: [...DATABASE, "@omniglass/gateway", "@omniglass/api", "@omniglass/client"],
  api: [...DATABASE, ...BUS, "@omniglass/bus", "@omniglass/client"],
  client: [...DATABASE, ...BUS, "@omniglass/gateway", "@omniglass/bus"],
  app: [...DATABASE],
  tooling: [],
};

/**
 * @param {{ layer: keyof typeof FORBIDDEN, envFiles?: string[] }} options
 */
export function createConfig({ layer, envFiles = ["**/env.ts"] }) {
  const forbidden = [...APPS, ...FORBIDDEN[layer]];
  return tseslint.config(
    {
      ignores: [
        "**/.next/**",
        "**/dist/**",
        "**/node_modules/**",
        "**/next-env.d.ts",
        "**/*.js",
        "**/*.mjs",
      ],
    },
    ...tseslint.configs.recommended,
    {
      rules: {
        "@typescript-eslint/no-unused-vars": [
          "error",
          { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
        ],
        "@typescript-eslint/consistent-type-imports": [
          "error",
          { fixStyle: "inline-type-imports" },
        ],
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: forbidden,
                message: `The ${layer} layer must not import this (dependency direction, DESIGN.md §3).`,
              },
            ],
          },
        ],
        "no-restricted-properties": [
          "error",
          {
            object: "process",
            property: "env",
            message: "Read configuration in the app's env.ts only.",
          },
        ],
      },
    },
    {
      files: envFiles,
      rules: { "no-restricted-properties": "off" },
    },
    {
      // Integration tests play the host: they wire real infrastructure (bus, test harness) around
      // the layer under test, as apps do. They still may not reach the database except via gateway.
      files: ["**/*.test.ts", "**/test/**/*.ts", "**/e2e/**/*.ts", "**/playwright.config.ts"],
      rules: {
        // Test harnesses hand configuration to the processes they start.
        "no-restricted-properties": "off",
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                group: layer === "gateway" ? APPS : [...APPS, ...DATABASE],
                message: "Tests reach the database through the gateway (DESIGN.md §3).",
              },
            ],
          },
        ],
      },
    },
  );
}
