import { parseSecretKey, type SecretKey } from "@omniglass/gateway/secrets";
import { z } from "zod";

const Env = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  OMNIGLASS_NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  OMNIGLASS_WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  OMNIGLASS_VERSION: z.string().default("0.1.0"),
  OMNIGLASS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  OMNIGLASS_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  OMNIGLASS_SECRET_KEY: z.string().optional(),
  OMNIGLASS_WEBHOOK_FAILING_DAYS: z.coerce.number().positive().max(365).default(3),
});

export interface WorkerEnv {
  databaseUrl: string;
  natsUrl: string;
  /** Servers of the JetStream cluster that keep each stream (1 on one machine, 3 in a cluster). */
  natsReplicas: number;
  heartbeatMs: number;
  version: string;
  retentionDays: number;
  /** Prometheus metrics on 127.0.0.1:<port>/metrics; 0 turns them off. */
  metricsPort: number;
  /** The sealed-secret master key (webhook signing secrets); null: no webhooks are sent. */
  secretKey: SecretKey | null;
  /** An endpoint failing every delivery this many days raises its endpoint-failing alarm. */
  webhookFailingDays: number;
}

/** The worker's configuration: the only reader of process.env in this app. */
export function readEnv(): WorkerEnv {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(
      `Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  return {
    databaseUrl: parsed.data.DATABASE_URL,
    natsUrl: parsed.data.NATS_URL,
    natsReplicas: parsed.data.OMNIGLASS_NATS_REPLICAS,
    heartbeatMs: parsed.data.OMNIGLASS_WORKER_HEARTBEAT_MS,
    version: parsed.data.OMNIGLASS_VERSION,
    retentionDays: parsed.data.OMNIGLASS_RETENTION_DAYS,
    metricsPort: parsed.data.OMNIGLASS_WORKER_METRICS_PORT,
    secretKey: parsed.data.OMNIGLASS_SECRET_KEY
      ? parseSecretKey(parsed.data.OMNIGLASS_SECRET_KEY)
      : null,
    webhookFailingDays: parsed.data.OMNIGLASS_WEBHOOK_FAILING_DAYS,
  };
}
