import { enroll, httpWorklistSource, loadCredential } from "./credential";
import { readEnv } from "./env";
import { startNode } from "./node";

async function main() {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    console.error(`omniglass-node: ${(error as Error).message}`);
    process.exit(78);
  }
  let credential = await loadCredential(env.stateDir);
  if (!credential) {
    if (!env.enrollmentToken) {
      console.error(
        `omniglass-node: not enrolled (no credential in ${env.stateDir}): set OMNIGLASS_ENROLLMENT_TOKEN to a node enrollment token`,
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
      console.error(`omniglass-node: ${(error as Error).message}`);
      process.exit(1);
    }
    console.log(
      `omniglass-node: enrolled as ${credential.name} (${credential.nodeId}); credential saved in ${env.stateDir}`,
    );
  } else if (env.enrollmentToken) {
    console.log(
      "omniglass-node: already enrolled; OMNIGLASS_ENROLLMENT_TOKEN is not needed any more",
    );
  }
  const node = await startNode({
    nodeId: credential.nodeId,
    natsUrl: env.natsUrl,
    stateDir: env.stateDir,
    heartbeatMs: env.heartbeatMs,
    worklistRefreshMs: env.worklistRefreshMs,
    batchMs: env.batchMs,
    version: env.version,
    worklistSource: httpWorklistSource({ omniglassUrl: env.omniglassUrl, token: credential.token }),
  });
  console.log(`omniglass-node: started ${credential.name} (${node.id})`);
  const shutdown = (signal: string) => {
    console.log(`omniglass-node: ${signal}, finishing in-flight polls`);
    const force = setTimeout(() => {
      console.error("omniglass-node: shutdown took over 20 s, exiting");
      process.exit(1);
    }, 20_000);
    force.unref();
    void node.stop().then(() => {
      console.log("omniglass-node: stopped");
      process.exit(0);
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

void main();
