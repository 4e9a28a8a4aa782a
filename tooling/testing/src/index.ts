import { inject } from "vitest";

/** What the integration global setup (tooling/infra) hands every test file. */
export interface TestInfra {
  postgresServerUrl: string;
  templateDatabase: string;
  natsUrl: string;
  natsPort: number;
  natsMonitorPort: number;
  natsPid: number;
  tempDir: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    infra: TestInfra;
  }
}

/** The shared PostgreSQL server and nats-server of this test run. */
export function testInfra(): TestInfra {
  return inject("infra");
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes; returns the value or throws. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
