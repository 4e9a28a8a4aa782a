import { createConfig, FORBIDDEN } from "@omniglass/eslint-config";

/** What the app layer may not import anywhere (as the shared config says). */
const LAYER = [
  "@omniglass/web",
  "@omniglass/worker",
  "@omniglass/cli",
  "@omniglass/web/*",
  ...FORBIDDEN.app,
];

const FEATURE_MESSAGE =
  "A feature imports ~/ui and ~/client, never another feature: move what both need to src/ui, or compose them in the route file.";

export default [
  ...createConfig({ layer: "app", envFiles: ["src/env.ts"] }),
  {
    // The console by feature (docs/architecture.md): a feature imports ui/ and the client, never
    // another feature; a route file under app/ composes features.
    files: ["src/features/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: LAYER, message: "The app layer must not import this (DESIGN.md §3)." },
            {
              group: ["~/features/**", "**/features/**"],
              message: FEATURE_MESSAGE,
            },
            // Relative imports stay inside the feature; only src/ui may be reached by path.
            { regex: "^\\.\\./(?!\\.\\./(ui|client)/)", message: FEATURE_MESSAGE },
          ],
        },
      ],
    },
  },
  {
    files: ["src/ui/**/*.{ts,tsx}", "src/client/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: LAYER, message: "The app layer must not import this (DESIGN.md §3)." },
            {
              group: ["~/features/**", "**/features/**"],
              message: "src/ui and src/client are shared by every feature and import none.",
            },
          ],
        },
      ],
    },
  },
];
