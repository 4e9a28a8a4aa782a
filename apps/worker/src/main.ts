import { readEnv } from "./env";
import { startWorker } from "./worker";

async function main() {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    console.error(`omniglass-worker: ${(error as Error).message}`);
    process.exit(78);
  }
  const worker = await startWorker(env);
  console.log(`omniglass-worker: started ${worker.id}`);
  const shutdown = (signal: string) => {
    console.log(`omniglass-worker: ${signal}, finishing in-flight work`);
    const force = setTimeout(() => {
      console.error("omniglass-worker: shutdown took over 20 s, exiting");
      process.exit(1);
    }, 20_000);
    force.unref();
    void worker.stop().then(() => {
      console.log("omniglass-worker: stopped");
      process.exit(0);
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

void main();
