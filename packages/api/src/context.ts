import type {
  DependencyCheck,
  DependencyName,
  RequestMeta,
  RequestSource,
} from "@omniglass/contracts";
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

export interface Context {
  meta: RequestMeta;
  deps: ApiDependencies;
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
}: {
  deps: ApiDependencies;
  requestId: string;
  source: RequestSource;
  ip: string | null;
}): Context {
  return { deps, meta: { requestId, source, ip, actor: null, realActor: null } };
}
