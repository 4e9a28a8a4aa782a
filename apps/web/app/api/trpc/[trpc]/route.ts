import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@omniglass/api";
import { getRuntime } from "~/server/runtime";
import { peerOf, requestIdOf } from "~/server/request";

export const dynamic = "force-dynamic";

/** Typed clients: the console (default) and the CLI, which says so with `x-omniglass-client: cli`. */
function handler(req: Request) {
  const requestId = requestIdOf(req.headers);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    allowMethodOverride: false,
    createContext: ({ resHeaders }) =>
      createContext({
        responseHeaders: resHeaders,
        deps: getRuntime().deps,
        requestId,
        source: req.headers.get("x-omniglass-client") === "cli" ? "cli" : "console",
        ip: peerOf(req.headers),
        headers: req.headers,
      }),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
  });
}

export { handler as GET, handler as POST };
