import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { DependencyCheck } from "@omniglass/contracts";

export type { NatsConnection };

export interface BusConnection {
  /** The live connection, or null until the first connect succeeds. */
  current(): NatsConnection | null;
  /** Resolves with the connection once connected (waits for the first connect). */
  ready(): Promise<NatsConnection>;
  /** Called after the first connect and after every reconnect. */
  onConnect(listener: (nc: NatsConnection) => void): void;
  close(): Promise<void>;
}

/**
 * Connects to NATS and keeps reconnecting forever, including when the server is not up yet at start.
 * The caller never has to restart on a NATS outage.
 */
export function connectBus({ servers, name }: { servers: string; name: string }): BusConnection {
  let nc: NatsConnection | null = null;
  let closed = false;
  const listeners: ((nc: NatsConnection) => void)[] = [];
  const connected = connect({
    servers: servers.split(","),
    name,
    waitOnFirstConnect: true,
    reconnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 100,
    pingInterval: 5_000,
    maxPingOut: 2,
    timeout: 2_000,
  }).then(async (conn) => {
    if (closed) {
      await conn.close();
      throw new Error("bus closed before it connected");
    }
    nc = conn;
    for (const listener of listeners) listener(conn);
    void (async () => {
      for await (const status of conn.status()) {
        if (status.type === "reconnect") for (const listener of listeners) listener(conn);
      }
    })();
    return conn;
  });
  connected.catch(() => {});
  return {
    current: () => nc,
    ready: () => connected,
    onConnect: (listener) => {
      listeners.push(listener);
      if (nc) listener(nc);
    },
    close: async () => {
      closed = true;
      if (nc && !nc.isClosed()) await nc.drain().catch(() => nc?.close());
    },
  };
}

/** One round trip to the server, bounded by `timeoutMs`. Never throws. */
export async function probeBus(bus: BusConnection, timeoutMs = 1_500): Promise<DependencyCheck> {
  const nc = bus.current();
  if (!nc) return { status: "down", latencyMs: null, error: "not connected yet" };
  if (nc.isClosed()) return { status: "down", latencyMs: null, error: "connection closed" };
  let timer: NodeJS.Timeout | undefined;
  try {
    const rtt = await Promise.race([
      nc.rtt(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: "up", latencyMs: Math.round(rtt * 100) / 100, error: null };
  } catch (error) {
    return {
      status: "down",
      latencyMs: null,
      error: error instanceof Error ? error.message.slice(0, 200) : "unknown error",
    };
  } finally {
    clearTimeout(timer);
  }
}
