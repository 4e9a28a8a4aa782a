import { createLogger, describeError } from "@omniglass/log";
import { serveMetrics } from "@omniglass/bus";
import { enroll, httpWorklistSource, loadCredential } from "./credential";
import { readEnv } from "./env";
import { createNodeMetrics } from "./metrics";
import { startNode, type RunningNode } from "./node";

const logger = createLogger({ process: "node", pretty: process.stdout.isTTY === true });
/** The runtime's plain lines as log events: failures as warnings, the rest as info. */
const logLine = (line: string) => {
  const text = line.replace(/^omniglass-node: /, "");
  if (/^ERROR |failed|error/i.test(text)) logger.warn(text.replace(/^ERROR /, ""));
  else logger.info(text);
};

async function main() {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    logger.fatal((error as Error).message);
    process.exit(78);
  }
  let credential = await loadCredential(env.stateDir);
  if (!credential) {
    if (!env.enrollmentToken) {
      logger.fatal(
        `not enrolled (no credential in ${env.stateDir}): set OMNIGLASS_ENROLLMENT_TOKEN to a node enrollment token`,
      );
      process.exit(78);
    }
    try {
      credential = await enroll({
        omniglassUrl: env.omniglassUrl,
        stateDir: env.stateDir,
        token: env.enrollmentToken,
      });
    } catch (error) {
      logger.fatal(`enrollment failed: ${describeError(error)}`);
      process.exit(1);
    }
    logger.info(
      `enrolled as ${credential.name} (${credential.nodeId}); credential saved in ${env.stateDir}`,
    );
  } else if (env.enrollmentToken) {
    logger.info("already enrolled; OMNIGLASS_ENROLLMENT_TOKEN is not needed any more");
  }
  let running: RunningNode | null = null;
  if (env.metricsPort > 0)
    serveMetrics(
      createNodeMetrics(credential.name, () => running?.stats() ?? null),
      {
        port: env.metricsPort,
        onError: (error) =>
          logger.warn(
            `metrics endpoint not served on 127.0.0.1:${env.metricsPort}: ${describeError(error)}`,
          ),
      },
    );
  const node = await startNode({
    log: logLine,
    nodeId: credential.nodeId,
    natsUrl: env.natsUrl,
    stateDir: env.stateDir,
    heartbeatMs: env.heartbeatMs,
    worklistRefreshMs: env.worklistRefreshMs,
    batchMs: env.batchMs,
    version: env.version,
    worklistSource: httpWorklistSource({ omniglassUrl: env.omniglassUrl, token: credential.token }),
  });
  running = node;
  logger.info(
    { nodeId: node.id, node: credential.name },
    `started ${credential.name} (${node.id})${env.metricsPort > 0 ? `; metrics on http://127.0.0.1:${env.metricsPort}/metrics` : ""}`,
  );
  // SIGTERM drains: no new polls, polls in flight finish and go to NATS or the disk buffer.
  // A signal repeated while draining (a process-group stop reaching a wrapper that relays it, a
  // second Ctrl-C) must not end the drain: with no listener left, Node's default action would
  // exit at once and drop the samples still in memory. The 20 s bound below still applies.
  let draining = false;
  const shutdown = (signal: string) => {
    if (draining) {
      logger.info({ signal }, "already draining; the signal is ignored");
      return;
    }
    draining = true;
    logger.info({ signal }, "draining: finishing in-flight polls");
    const force = setTimeout(() => {
      logger.error("shutdown took over 20 s, exiting");
      process.exit(1);
    }, 20_000);
    force.unref();
    void node.stop().then(() => {
      // What this process did, for the operator and for tests that account for every sample.
      const { polls, pollErrors, samplesTaken, published, buffered } = node.stats();
      logger.info(
        { polls, pollErrors, samplesTaken, published, buffered },
        `stopped: ${samplesTaken} sample(s) taken, ${published} published, ${buffered} left in the disk buffer`,
      );
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

void main();
