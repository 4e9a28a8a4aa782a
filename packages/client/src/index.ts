import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@omniglass/api";

export type { AppRouter };
export { TRPCClientError };

/** Every procedure's input, e.g. `RouterInputs["component"]["create"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Every procedure's output, e.g. `RouterOutputs["component"]["list"]["items"][number]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface ClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Who is calling, recorded as the request source: `cli` for the command line. */
  client?: "cli" | "console";
  /** A bearer token (`og_…`), once the server issues them. */
  token?: string;
  fetch?: typeof fetch;
}

/** The typed tRPC client for internal TypeScript callers (CLI, automation, tests). */
export function createOmniglassClient(options: ClientOptions) {
  const base = options.url.replace(/\/+$/, "");
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${base}/api/trpc`,
        fetch: options.fetch,
        headers: () => ({
          ...(options.client ? { "x-omniglass-client": options.client } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        }),
      }),
    ],
  });
}

export type OmniglassClient = ReturnType<typeof createOmniglassClient>;
