import { createConfig } from "@omniglass/eslint-config";

export default createConfig({ layer: "estate" });
