// `npm start`: set up what is missing, then run the product (tooling/infra/src/start.ts).
import { bootstrap, handOver } from "./bootstrap.mjs";

const embeddedNats = !process.env.NATS_URL;
bootstrap({ debian: embeddedNats ? [{ command: "nats-server", pkg: "nats-server" }] : [] });
handOver("pnpm", ["--dir", "tooling/infra", "exec", "tsx", "src/start.ts"]);
