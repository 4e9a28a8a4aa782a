import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { Problem } from "@omniglass/contracts";
import type { Context } from "./context";
import { toProblem, type PublicError } from "./errors";
import { appRouter } from "./root";

export const REST_BASE_PATH = "/api/v1";

const PROBLEM_JSON = "application/problem+json";

/**
 * Serves the procedures as REST (trpc-to-openapi) and turns every error answer, including an
 * unknown path and a body that is not JSON, into RFC 9457 problem+json.
 */
export async function handleRestRequest(req: Request, context: Context): Promise<Response> {
  const response = await createOpenApiFetchHandler({
    endpoint: REST_BASE_PATH,
    router: appRouter,
    req: withEmptyJsonBody(req),
    createContext: () => context,
  });
  const answer =
    response.status < 400
      ? response
      : problemResponse(await readPublicError(response), context.meta.requestId);
  context.responseHeaders.forEach((value, name) => {
    if (name === "set-cookie") return;
    answer.headers.set(name, value);
  });
  for (const cookie of context.responseHeaders.getSetCookie())
    answer.headers.append("set-cookie", cookie);
  return answer;
}

/** A write with no body at all (`POST /auth/logout`) is read as `{}` rather than refused as 415. */
function withEmptyJsonBody(req: Request): Request {
  if (
    !["POST", "PUT", "PATCH"].includes(req.method) ||
    req.body !== null ||
    req.headers.has("content-type")
  )
    return req;
  const headers = new Headers(req.headers);
  headers.set("content-type", "application/json");
  return new Request(req.url, { method: req.method, headers, body: "{}" });
}

export function problemResponse(
  error: PublicError,
  requestId: string,
  headers?: Record<string, string>,
): Response {
  const body = Problem.parse(toProblem(error, requestId));
  const result = new Response(JSON.stringify(body), { status: body.status, headers });
  result.headers.set("content-type", PROBLEM_JSON);
  result.headers.set("x-request-id", requestId);
  return result;
}

/** The adapter's error body carries our formatted shape under `data`; anything else is internal. */
async function readPublicError(response: Response): Promise<PublicError> {
  const body = (await response.json().catch(() => null)) as {
    message?: string;
    data?: {
      code?: PublicError["code"];
      httpStatus?: number;
      title?: string;
      detail?: string;
      fieldErrors?: PublicError["fieldErrors"];
    };
  } | null;
  const data = body?.data;
  if (data?.code && data.httpStatus && data.title) {
    return {
      code: data.code,
      status: data.httpStatus,
      title: data.title,
      // The adapter rewrites `message` for validation errors; the formatted detail is ours.
      detail: data.detail ?? body?.message ?? data.title,
      fieldErrors: data.fieldErrors ?? [],
    };
  }
  return {
    code: "INTERNAL",
    status: 500,
    title: "Internal error",
    detail: "An unexpected error occurred; the request id identifies it in the server log.",
    fieldErrors: [],
  };
}
