import { createContext, handleAssessmentRequest } from "@omniglass/api";
import { getRuntime } from "~/server/runtime";
import { peerOf, requestIdOf } from "~/server/request";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/assessment, in front of the generated REST catch-all: the same procedure and
 * errors, and with `format=md` the same content as text/markdown (packages/api assessment).
 */
async function handler(req: Request) {
  const context = createContext({
    deps: getRuntime().deps,
    requestId: requestIdOf(req.headers),
    source: "rest",
    ip: peerOf(req.headers),
    headers: req.headers,
  });
  const response = await handleAssessmentRequest(req, context);
  response.headers.set("x-request-id", context.meta.requestId);
  return response;
}

// Other methods answer as the catch-all would (problem+json), not Next's bare 405.
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
