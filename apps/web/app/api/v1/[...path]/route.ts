import { createContext, handleRestRequest } from "@omniglass/api";
import { getRuntime } from "~/server/runtime";
import { peerOf, requestIdOf } from "~/server/request";

export const dynamic = "force-dynamic";

/** Public REST, generated from the same procedures; every error is problem+json. */
async function handler(req: Request) {
  const context = createContext({
    deps: getRuntime().deps,
    requestId: requestIdOf(req.headers),
    source: "rest",
    ip: peerOf(req.headers),
    headers: req.headers,
  });
  const response = await handleRestRequest(req, context);
  response.headers.set("x-request-id", context.meta.requestId);
  return response;
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
