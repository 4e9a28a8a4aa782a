import { z } from "zod";
import { isLoopbackHost, parseCidrList, type Cidr } from "@omniglass/domain";
// The key parser alone: importing the whole gateway here cost the web process seconds at start.
import { parseSecretKey, type SecretKey } from "@omniglass/gateway/secrets";

/** The web process's configuration: the only reader of process.env in this app. */
const Env = z.object({
  DATABASE_URL: z
    .string()
    .min(1, "DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:4222"),
  OMNIGLASS_HOST: z.string().min(1).default("127.0.0.1"),
  OMNIGLASS_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  OMNIGLASS_TRUSTED_NETWORKS: z.string().optional(),
  OMNIGLASS_VERSION: z.string().optional(),
  OMNIGLASS_SECRET_KEY: z.string().optional(),
  OMNIGLASS_SUPERVISOR_STATUS_FILE: z.string().min(1).optional(),
  OMNIGLASS_SILENCE_MAX_DAYS: z.coerce.number().positive().max(366).default(7),
  OMNIGLASS_WEBHOOK_ALLOW_LOOPBACK: z.enum(["true", "false"]).default("false"),
});

export interface WebEnv {
  databaseUrl: string;
  natsUrl: string;
  host: string;
  port: number;
  trustedNetworks: Cidr[];
  version: string;
  /** The master key of secret variables; null when unset (setting a secret then fails closed). */
  secretKey: SecretKey | null;
  /** `npm start`'s supervisor status file (restarts, last exits), when run under it. */
  supervisorStatusFile: string | null;
  /** The longest silence allowed, in ms (`OMNIGLASS_SILENCE_MAX_DAYS`, default 7). */
  silenceMaxMs: number;
  /** Webhook endpoints may name loopback or link-local hosts (`OMNIGLASS_WEBHOOK_ALLOW_LOOPBACK`; development and tests only). */
  webhookAllowLoopback: boolean;
}

let cached: WebEnv | null = null;

/** Parses once; throws with the variable's name when a value is missing or malformed. */
export function readEnv(): WebEnv {
  if (cached) return cached;
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  let trustedNetworks: Cidr[] = [];
  if (e.OMNIGLASS_TRUSTED_NETWORKS !== undefined) {
    try {
      trustedNetworks = parseCidrList(e.OMNIGLASS_TRUSTED_NETWORKS);
    } catch (error) {
      throw new Error(
        `Invalid configuration: OMNIGLASS_TRUSTED_NETWORKS: ${(error as Error).message}`,
      );
    }
  }
  let secretKey: SecretKey | null = null;
  if (e.OMNIGLASS_SECRET_KEY) {
    try {
      secretKey = parseSecretKey(e.OMNIGLASS_SECRET_KEY);
    } catch (error) {
      throw new Error(`Invalid configuration: ${(error as Error).message}`);
    }
  }
  cached = {
    databaseUrl: e.DATABASE_URL,
    natsUrl: e.NATS_URL,
    host: e.OMNIGLASS_HOST,
    port: e.OMNIGLASS_PORT,
    trustedNetworks,
    version: e.OMNIGLASS_VERSION ?? "0.1.0",
    secretKey,
    supervisorStatusFile: e.OMNIGLASS_SUPERVISOR_STATUS_FILE ?? null,
    silenceMaxMs: e.OMNIGLASS_SILENCE_MAX_DAYS * 86_400_000,
    webhookAllowLoopback: e.OMNIGLASS_WEBHOOK_ALLOW_LOOPBACK === "true",
  };
  return cached;
}

/**
 * The access model's start-up rule (DESIGN.md §5): a non-loopback bind needs an explicit trusted
 * network list. Returns the reason to refuse, or null.
 */
export function bindRefusal(env: Pick<WebEnv, "host" | "trustedNetworks">): string | null {
  if (isLoopbackHost(env.host)) return null;
  if (env.trustedNetworks.length > 0) return null;
  return `Refusing to listen on ${env.host}: a non-loopback bind requires OMNIGLASS_TRUSTED_NETWORKS (a CIDR list such as 100.64.0.0/10) naming the networks allowed to connect.`;
}
