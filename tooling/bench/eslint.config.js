import { createConfig } from "@omniglass/eslint-config";

// Dev and test tooling reads its own configuration from the environment.
export default createConfig({ layer: "tooling", envFiles: ["src/**/*.ts"] });
