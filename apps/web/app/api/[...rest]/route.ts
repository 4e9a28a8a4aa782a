import { problemResponse } from "@omniglass/api";
import { requestIdOf } from "~/server/request";

export const dynamic = "force-dynamic";

/** Anything under /api that no route serves is a 404 problem+json, never an HTML page. */
function handler(req: Request) {
  const path = new URL(req.url).pathname;
  return problemResponse(
    {
      code: "NOT_FOUND",
      status: 404,
      title: "Not found",
      detail: `No API route at ${path}`,
      fieldErrors: [],
    },
    requestIdOf(req.headers),
  );
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
