/**
 * Test support (used by the integration tests only): a fresh database from the migrated template,
 * the api dependencies over it, a bootstrapped owner and a REST caller going through the same
 * `handleRestRequest` as /api/v1.
 */
import { randomUUID } from "node:crypto";
import type { DependencyCheck } from "@omniglass/contracts";
import {
  connectDatabase,
  newSecretKeyBase64,
  parseSecretKey,
  unsafeBootstrapOwner,
  type Database,
  type SecretKey,
} from "@omniglass/gateway";
import { createTestDatabase } from "@omniglass/gateway/testing";
import { testInfra } from "@omniglass/testing";
import { createApiDependencies, createContext, type ApiDependencies } from "./context";
import { handleRestRequest } from "./rest";

export interface RestOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
  ip?: string;
}

export interface Testbed {
  db: Database;
  /** Every SQL statement sent through `db` since the last reset (statement-count tests). */
  statements: string[];
  databaseUrl: string;
  deps: ApiDependencies;
  owner: { id: string; token: string };
  /** A REST call, as the owner unless `token` says otherwise (null: no credential). */
  rest(method: string, path: string, options?: RestOptions): Promise<Response>;
  close(): Promise<void>;
}

export async function createTestbed({
  ownerPassword,
  probeBus = async (): Promise<DependencyCheck> => ({ status: "up", latencyMs: 0, error: null }),
  secretKey = parseSecretKey(newSecretKeyBase64()),
}: {
  ownerPassword?: string;
  probeBus?: () => Promise<DependencyCheck>;
  /** The master key of secret variables (default: a fresh one; null: none configured). */
  secretKey?: SecretKey | null;
} = {}): Promise<Testbed> {
  const infra = testInfra();
  const database = await createTestDatabase(infra.postgresServerUrl, infra.templateDatabase);
  const statements: string[] = [];
  const handle = connectDatabase({ url: database.url, onQuery: (sql) => statements.push(sql) });
  const deps = createApiDependencies({ version: "test", db: handle.db, probeBus, secretKey });
  const boot = await unsafeBootstrapOwner({
    db: handle.db,
    meta: { requestId: "testbed", source: "cli", actor: null, realActor: null, ip: null },
    username: "root",
    password: ownerPassword,
  });
  const owner = { id: boot.principalId, token: boot.token };
  return {
    db: handle.db,
    statements,
    databaseUrl: database.url,
    deps,
    owner,
    rest: (method, path, { token = owner.token, body, headers = {}, ip = "127.0.0.1" } = {}) => {
      const all = new Headers({
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      });
      const request = new Request(`http://127.0.0.1/api/v1${path}`, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return handleRestRequest(
        request,
        createContext({ deps, requestId: randomUUID(), source: "rest", ip, headers: all }),
      );
    },
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}
