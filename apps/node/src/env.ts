import { z } from "zod";

const Env = z.object({
  OMNIGLASS_URL: z.url("OMNIGLASS_URL must be the web app's URL, e.g. http://127.0.0.1:3000"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  OMNIGLASS_NODE_STATE_DIR: z.string().min(1).default(".data/node"),
  OMNIGLASS_ENROLLMENT_TOKEN: z.string().min(10).max(200).optional(),
  OMNIGLASS_NODE_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(5_000),
  OMNIGLASS_WORKLIST_REFRESH_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  OMNIGLASS_BATCH_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  OMNIGLASS_VERSION: z.string().max(64).default("0.1.0"),
  OMNIGLASS_NODE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9465),
});

export interface NodeEnv {
  /** The web app, without a trailing slash. */
  omniglassUrl: string;
  natsUrl: string;
  stateDir: string;
  /** Only needed until the node holds a credential. Never logged. */
  enrollmentToken: string | null;
  heartbeatMs: number;
  worklistRefreshMs: number;
  batchMs: number;
  version: string;
  /** Prometheus metrics on 127.0.0.1:<port>/metrics; 0 turns them off. */
  metricsPort: number;
}

/** The node's configuration: the only reader of process.env in this app. */
export function readEnv(): NodeEnv {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    // Never echo input: the enrollment token is a credential.
    throw new Error(
      `Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const env = parsed.data;
  return {
    omniglassUrl: env.OMNIGLASS_URL.replace(/\/+$/, ""),
    natsUrl: env.NATS_URL,
    stateDir: env.OMNIGLASS_NODE_STATE_DIR,
    enrollmentToken: env.OMNIGLASS_ENROLLMENT_TOKEN ?? null,
    heartbeatMs: env.OMNIGLASS_NODE_HEARTBEAT_MS,
    worklistRefreshMs: env.OMNIGLASS_WORKLIST_REFRESH_MS,
    batchMs: env.OMNIGLASS_BATCH_MS,
    version: env.OMNIGLASS_VERSION,
    metricsPort: env.OMNIGLASS_NODE_METRICS_PORT,
  };
}
