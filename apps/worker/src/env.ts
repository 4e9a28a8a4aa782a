import { z } from "zod";

const Env = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  OMNIGLASS_WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  OMNIGLASS_VERSION: z.string().default("0.1.0"),
  OMNIGLASS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export interface WorkerEnv {
  databaseUrl: string;
  natsUrl: string;
  heartbeatMs: number;
  version: string;
  retentionDays: number;
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
    heartbeatMs: parsed.data.OMNIGLASS_WORKER_HEARTBEAT_MS,
    version: parsed.data.OMNIGLASS_VERSION,
    retentionDays: parsed.data.OMNIGLASS_RETENTION_DAYS,
  };
}
