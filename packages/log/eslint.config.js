import { createConfig } from "@omniglass/eslint-config";

// A leaf every process imports: like contracts, it imports no other @omniglass package and no I/O
// beyond what pino itself does.
export default createConfig({ layer: "contracts" });
