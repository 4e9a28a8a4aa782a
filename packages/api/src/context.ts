import type {
  DependencyCheck,
  DependencyName,
  RequestMeta,
  RequestSource,
} from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import type { Database } from "@omniglass/gateway";
import type { DependencyMonitor } from "./dependency-monitor";
import type { ApiMetrics } from "./metrics";

/** What the host process (apps/web) hands the procedures: long-lived handles, created once. */
export interface ApiDependencies {
  version: string;
  db: Database;
  /** Probes NATS through the host's connection (the api layer does not import the bus). */
  probeBus(): Promise<DependencyCheck>;
  monitor: DependencyMonitor;
  metrics: ApiMetrics;
}

/** What the request presented; checked by `authedProcedure`, never trusted before. */
export interface Credentials {
  bearer: string | null;
  session: string | null;
}

export const SESSION_COOKIE = "og_session";

export interface Context {
  meta: RequestMeta;
  deps: ApiDependencies;
  credentials: Credentials;
  /** Set by `authedProcedure` once the credentials resolved to an enabled principal. */
  actor: Actor | null;
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
}: {
  deps: ApiDependencies;
  requestId: string;
  source: RequestSource;
  ip: string | null;
  headers?: Headers;
}): Context {
  return {
    deps,
    meta: { requestId, source, ip, actor: null, realActor: null },
    credentials: credentialsOf(headers),
    actor: null,
  };
}

/** `Authorization: Bearer og_…` and the session cookie; anything else is ignored. */
export function credentialsOf(headers: Headers | undefined): Credentials {
  const authorization = headers?.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
  const cookies = headers?.get("cookie") ?? "";
  const session =
    cookies
      .split(";")
      .map((part) => part.trim().split("="))
      .find(([name]) => name === SESSION_COOKIE)?.[1] ?? null;
  return { bearer, session };
}
