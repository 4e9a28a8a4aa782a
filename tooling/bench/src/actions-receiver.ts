/** What the actions bench's parts share: the local webhook receiver, raw SQL, figures. */
import { createServer } from "node:http";
import type { Database } from "@omniglass/gateway";
import { freePort } from "@omniglass/infra";
import { quantile } from "./stack";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Arrival {
  at: number;
  path: string;
  type: string;
  body: string;
  /** alarm transitions: `<alarm id>/<seq>`; storms: `<root>/<group>`; baseline: its index. */
  key: string;
}

/** Parameterized SQL on the pool under the handle (the bench does not depend on drizzle). */
export const query = async <T>(db: Database, text: string, values: unknown[] = []) =>
  (
    await (
      db as unknown as {
        $client: { query(text: string, values: unknown[]): Promise<{ rows: unknown[] }> };
      }
    ).$client.query(text, values)
  ).rows as T[];

/** The local receiver: notes when each request arrived (the clock of this process) and answers 200. */
export async function startReceiver() {
  const arrivals: Arrival[] = [];
  const port = await freePort();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      let type = "?";
      let key = req.headers["x-bench-key"]?.toString() ?? "";
      try {
        const m = JSON.parse(body) as {
          type: string;
          data: {
            seq?: number;
            alarm?: { id: string };
            root?: { id: string };
            group?: { id: string };
          };
        };
        type = m.type;
        if (!key)
          key = m.data.alarm
            ? `${m.data.alarm.id}/${m.data.seq}`
            : `${m.data.root?.id}/${m.data.group?.id}`;
      } catch {
        // not JSON: counted as "?"
      }
      arrivals.push({ at, path: req.url ?? "", type, body, key });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
};
