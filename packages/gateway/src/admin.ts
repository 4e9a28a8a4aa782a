import pg from "pg";

/** Builds the URL of `database` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `fn` with a client on the server's maintenance database (`postgres`). */
export async function withMaintenanceClient<T>(
  serverUrl: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, "postgres") });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates `name` on the server when it does not exist; returns its URL. For bootstrap only. */
export async function unsafeEnsureDatabase(serverUrl: string, name: string): Promise<string> {
  await withMaintenanceClient(serverUrl, async (client) => {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database ${quoteIdent(name)}`);
  });
  return databaseUrl(serverUrl, name);
}
