import type {
  AlarmsChanged,
  DependencyCheck,
  HealthChanged,
  DependencyName,
  RequestMeta,
  RequestSource,
} from "@omniglass/contracts";
import { DEFAULT_SILENCE_MAX_MS, type Actor } from "@omniglass/domain";
import type { ChangedOwner, Database, SecretKey } from "@omniglass/gateway";
import { createDependencyMonitor, type DependencyMonitor } from "./dependency-monitor";
import { createApiMetrics, type ApiMetrics } from "./metrics";

/** What the host process (apps/web) hands the procedures: long-lived handles, created once. */
export interface ApiDependencies {
  version: string;
  db: Database;
  /** Probes NATS through the host's connection (the api layer does not import the bus). */
  probeBus(): Promise<DependencyCheck>;
  monitor: DependencyMonitor;
  metrics: ApiMetrics;
  /**
   * How many failed sign-ins per account and per client address within a window before the next
   * try waits. The failures themselves are kept in PostgreSQL, shared by every web replica.
   */
  signInThrottle: { account: ThrottleLimit; address: ThrottleLimit };
  /**
   * The master key of secret variables (`OMNIGLASS_SECRET_KEY`), or null: then setting a secret
   * fails closed (503) and worklists carry no secrets; every other read works.
   */
  secretKey: SecretKey | null;
  /**
   * Told after a commit which owners' current values changed (the push API); the host publishes
   * it on NATS for the console's live relay, as the worker does for node samples.
   */
  onValuesChanged(changed: ChangedOwner[]): void;
  /**
   * Told after a commit which alarms an operator changed (acknowledge, unacknowledge, resolve);
   * the host publishes it on NATS for the console's live alarm stream, as the worker does.
   */
  onAlarmsChanged(changes: (Omit<AlarmsChanged, "at"> & { at?: string })[]): void;
  /** Told after a commit which owners' health verdicts changed; published like the alarms. */
  onHealthChanged(changes: HealthChanged[]): void;
  /** The longest silence allowed (`OMNIGLASS_SILENCE_MAX_DAYS`, default 7 days), in ms. */
  silenceMaxMs: number;
  /** Accept loopback webhook URLs (tests and development; default false). */
  webhookAllowLoopback?: boolean;
}

export interface ThrottleLimit {
  limit: number;
  windowMs: number;
}

/** The long-lived part of the dependencies, built the same way by the web host and by tests. */
export function createApiDependencies({
  version,
  db,
  probeBus,
  monitor,
  metrics,
  secretKey,
  onValuesChanged,
  onAlarmsChanged,
  onHealthChanged,
  silenceMaxMs,
  webhookAllowLoopback,
}: Pick<ApiDependencies, "version" | "db" | "probeBus"> &
  Partial<
    Pick<
      ApiDependencies,
      | "monitor"
      | "metrics"
      | "secretKey"
      | "onValuesChanged"
      | "onAlarmsChanged"
      | "onHealthChanged"
      | "silenceMaxMs"
      | "webhookAllowLoopback"
    >
  >): ApiDependencies {
  return {
    version,
    db,
    probeBus,
    secretKey: secretKey ?? null,
    onValuesChanged: onValuesChanged ?? (() => {}),
    onAlarmsChanged: onAlarmsChanged ?? (() => {}),
    onHealthChanged: onHealthChanged ?? (() => {}),
    silenceMaxMs: silenceMaxMs ?? DEFAULT_SILENCE_MAX_MS,
    webhookAllowLoopback: webhookAllowLoopback ?? false,
    monitor: monitor ?? createDependencyMonitor(),
    metrics: metrics ?? createApiMetrics(),
    signInThrottle: {
      account: { limit: 5, windowMs: 15 * 60_000 },
      address: { limit: 20, windowMs: 15 * 60_000 },
    },
  };
}

/** What the request presented; checked by `authedProcedure`, never trusted before. */
export interface Credentials {
  bearer: string | null;
  session: string | null;
  /** The double-submit pair that cookie-authenticated writes must carry. */
  csrfCookie: string | null;
  csrfHeader: string | null;
  userAgent: string | null;
}

export const SESSION_COOKIE = "og_session";
export const CSRF_COOKIE = "og_csrf";
export const CSRF_HEADER = "x-csrf-token";

export interface Context {
  meta: RequestMeta;
  deps: ApiDependencies;
  credentials: Credentials;
  /** Set by `authedProcedure` once the credentials resolved to an enabled principal. */
  actor: Actor | null;
  /** Headers for the response (cookies, Retry-After); the host copies them onto what it sends. */
  responseHeaders: Headers;
}

export const DEPENDENCY_SOURCES: Record<DependencyName, string> = {
  database: "SELECT 1 through the web process's pool",
  nats: "NATS PING round trip from the web process",
};

export function createContext({
  deps,
  requestId,
  source,
  ip,
  headers,
  responseHeaders,
}: {
  deps: ApiDependencies;
  requestId: string;
  source: RequestSource;
  ip: string | null;
  headers?: Headers;
  responseHeaders?: Headers;
}): Context {
  return {
    deps,
    meta: { requestId, source, ip, actor: null, realActor: null },
    credentials: credentialsOf(headers),
    actor: null,
    responseHeaders: responseHeaders ?? new Headers(),
  };
}

/** `Authorization: Bearer og_…` and the session cookie; anything else is ignored. */
export function credentialsOf(headers: Headers | undefined): Credentials {
  const authorization = headers?.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
  const cookies = new Map(
    (headers?.get("cookie") ?? "")
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map(
        (part) => [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)] as const,
      ),
  );
  return {
    bearer,
    session: cookies.get(SESSION_COOKIE) ?? null,
    csrfCookie: cookies.get(CSRF_COOKIE) ?? null,
    csrfHeader: headers?.get(CSRF_HEADER) ?? null,
    userAgent: headers?.get("user-agent") ?? null,
  };
}
