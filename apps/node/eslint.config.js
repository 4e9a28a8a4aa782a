import { createConfig } from "@omniglass/eslint-config";

export default createConfig({ layer: "app", envFiles: ["src/env.ts"] });
