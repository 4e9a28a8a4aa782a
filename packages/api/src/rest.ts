import { createHash } from "node:crypto";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyScope,
  releaseIdempotencyKey,
} from "@omniglass/gateway";
import { Problem } from "@omniglass/contracts";
import type { Context } from "./context";
import { toProblem, type PublicError } from "./errors";
import { createRestAdapter } from "./rest-adapter";
import { appRouter, listProcedures } from "./root";

export const REST_BASE_PATH = "/api/v1";

const PROBLEM_JSON = "application/problem+json";

/**
 * Serves the procedures as REST (trpc-to-openapi) and turns every error answer, including an
 * unknown path and a body that is not JSON, into RFC 9457 problem+json.
 */
export async function handleRestRequest(req: Request, context: Context): Promise<Response> {
  const key = req.headers.get("idempotency-key");
  if (key === null || !WRITE_METHODS.has(req.method)) return serve(req, context);
  return serveIdempotently(req, context, key);
}

/** Made at the first request (the router is complete by then), reused by every request after. */
let restAdapter: ReturnType<typeof createRestAdapter> | null = null;

async function serve(req: Request, context: Context): Promise<Response> {
  restAdapter ??= createRestAdapter({
    endpoint: REST_BASE_PATH,
    router: appRouter,
    responseMeta: ({ paths, errors }) => {
      const status = errors.length === 0 ? successStatus(paths?.[0]) : undefined;
      return status ? { status } : {};
    },
  });
  const response = await restAdapter(withDecodedPath(withEmptyJsonBody(req)), context);
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

let successStatuses: Map<string, number> | null = null;

/** A procedure's success status when its meta names one (`successStatus`), else the default 200. */
function successStatus(path: string | undefined): number | undefined {
  successStatuses ??= new Map(
    listProcedures()
      .filter((p) => p.meta.successStatus !== undefined)
      .map((p) => [p.path, p.meta.successStatus!]),
  );
  return path ? successStatuses.get(path) : undefined;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const KEY_FORMAT = /^[\x21-\x7e]{1,200}$/;

/**
 * `Idempotency-Key` on a write: the first answer (success or a client error) is kept and replayed
 * to a retry with the same key and the same request, which changes nothing; the same key with a
 * different request, or while the first is still running, is 409. Keys belong to the credential.
 * The answer is stored after the write committed: a crash in between lets a retry run again.
 */
async function serveIdempotently(req: Request, context: Context, key: string): Promise<Response> {
  const { requestId } = context.meta;
  const refuse = (detail: string, status = 409) =>
    problemResponse(
      {
        code: status === 400 ? "INVALID" : "CONFLICT",
        status,
        title: status === 400 ? "Invalid request" : "Conflict",
        detail,
        fieldErrors: status === 400 ? [{ field: "Idempotency-Key", message: detail }] : [],
      },
      requestId,
    );
  if (!KEY_FORMAT.test(key))
    return refuse("Idempotency-Key must be 1 to 200 visible ASCII characters.", 400);
  const url = new URL(req.url);
  const requestHash = createHash("sha256")
    .update(`${req.method} ${url.pathname}${url.search}\n${await req.clone().text()}`)
    .digest("hex");
  const { db } = context.deps;
  const scope = idempotencyScope(context.credentials.bearer ?? context.credentials.session);
  const claim = await claimIdempotencyKey({ db, scope, key, requestHash });
  if (claim.outcome === "mismatch")
    return refuse("This Idempotency-Key was used with a different request.");
  if (claim.outcome === "in-progress")
    return refuse("A request with this Idempotency-Key is still running; retry shortly.");
  if (claim.outcome === "replay") {
    return new Response(JSON.stringify(claim.body), {
      status: claim.status,
      headers: {
        "content-type": claim.status >= 400 ? PROBLEM_JSON : "application/json",
        "idempotent-replayed": "true",
        "x-request-id": requestId,
      },
    });
  }
  let answer: Response;
  try {
    answer = await serve(req, context);
  } catch (error) {
    await releaseIdempotencyKey({ db, scope, key });
    throw error;
  }
  // Worth replaying: successes and client errors that a retry would meet again.
  if (answer.status < 500 && answer.status !== 401 && answer.status !== 429) {
    await completeIdempotencyKey({
      db,
      scope,
      key,
      status: answer.status,
      body: await answer
        .clone()
        .json()
        .catch(() => null),
    });
  } else {
    await releaseIdempotencyKey({ db, scope, key });
  }
  return answer;
}

/**
 * The adapter hands path parameters on as sent, still percent-encoded: a reference such as
 * `pjlink-projector%401` must reach the procedure as `pjlink-projector@1`. Segments are decoded
 * one by one; one that would decode to a `/` (or does not decode) is left as it is.
 */
function withDecodedPath(req: Request): Request {
  const url = new URL(req.url);
  if (!url.pathname.includes("%")) return req;
  const decoded = url.pathname
    .split("/")
    .map((segment) => {
      try {
        const plain = decodeURIComponent(segment);
        return plain.includes("/") ? segment : plain;
      } catch {
        return segment;
      }
    })
    .join("/");
  return new Request(`${url.origin}${decoded}${url.search}`, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    // A streamed body may only be passed on half-duplex (Node's fetch insists on saying so).
    duplex: "half",
  } as RequestInit);
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
