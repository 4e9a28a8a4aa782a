import {
  connectBus,
  probeBus,
  publishAlarmChanges,
  publishHealthChanges,
  publishLiveValues,
  type BusConnection,
} from "@omniglass/bus";
import {
  checkHealth,
  createApiDependencies,
  supervisorFromFile,
  type ApiDependencies,
} from "@omniglass/api";
import { connectDatabase } from "@omniglass/gateway";
import { readEnv } from "~/env";

/**
 * The web process's long-lived handles, created once per process. Next.js bundles route handlers
 * separately from server.ts, so the single instance is kept on globalThis.
 */
interface Runtime {
  deps: ApiDependencies;
  bus: BusConnection;
}

const KEY = Symbol.for("omniglass.web.runtime");
type Holder = { [KEY]?: Runtime };

/** How often the process probes its dependencies on its own, so "since" is exact to this interval. */
const PROBE_INTERVAL_MS = 2_000;

export function getRuntime(): Runtime {
  const holder = globalThis as Holder;
  if (holder[KEY]) return holder[KEY];
  const env = readEnv();
  const { db } = connectDatabase({
    url: env.databaseUrl,
    max: 10,
    applicationName: "omniglass-web",
  });
  const bus = connectBus({ servers: env.natsUrl, name: "omniglass-web" });
  const deps = createApiDependencies({
    version: env.version,
    db,
    probeBus: () => probeBus(bus),
    secretKey: env.secretKey,
    silenceMaxMs: env.silenceMaxMs,
    webhookAllowLoopback: env.webhookAllowLoopback,
    // Pushed samples reach open pages as the worker's do: through the live relay's subject.
    onValuesChanged: (changed) => publishLiveValues(bus, changed),
    // Operators' acknowledgements and resolutions reach open alarm queues the same way.
    onAlarmsChanged: (changes) => publishAlarmChanges(bus, changes),
    onHealthChanged: (changes) => publishHealthChanges(bus, changes),
  });
  // Under npm start: the supervisor's restarts and last exits, for the platform page and /api/metrics.
  if (env.supervisorStatusFile)
    deps.metrics.attachSupervisor(supervisorFromFile(env.supervisorStatusFile));
  const runtime = { deps, bus };
  holder[KEY] = runtime;
  const timer = setInterval(() => void checkHealth(deps), PROBE_INTERVAL_MS);
  timer.unref();
  void checkHealth(deps);
  return runtime;
}
