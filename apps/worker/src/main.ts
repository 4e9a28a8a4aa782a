import { createLogger, describeError } from "@omniglass/log";
import { serveMetrics } from "@omniglass/bus";
import { readEnv } from "./env";
import { createWorkerMetrics } from "./metrics";
import { startWorker } from "./worker";

const log = createLogger({ process: "worker", pretty: process.stdout.isTTY === true });

async function main() {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    log.fatal((error as Error).message);
    process.exit(78);
  }
  const metrics = createWorkerMetrics();
  if (env.metricsPort > 0)
    serveMetrics(metrics.registry, {
      port: env.metricsPort,
      onError: (error) =>
        log.warn(
          { port: env.metricsPort },
          `metrics endpoint not served on 127.0.0.1:${env.metricsPort}: ${describeError(error)}`,
        ),
    });
  const worker = await startWorker({ ...env, logger: log, metrics });
  log.info(
    { workerId: worker.id, metricsPort: env.metricsPort || null },
    `started ${worker.id}${env.metricsPort > 0 ? `; metrics on http://127.0.0.1:${env.metricsPort}/metrics` : ""}`,
  );
  // SIGTERM drains: lanes stop fetching, finish (and ack) the batch in hand, nak the rest; a
  // last heartbeat says `stopped`; then the connections close.
  const shutdown = (signal: string) => {
    log.info({ signal }, "draining: finishing in-flight work");
    const force = setTimeout(() => {
      log.error("shutdown took over 20 s, exiting");
      process.exit(1);
    }, 20_000);
    force.unref();
    void worker.stop().then(() => {
      log.info("stopped");
      process.exit(0);
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

void main();
