import {
  appRouter,
  createCallerFactory,
  createContext,
  problemResponse,
  type PublicError,
} from "@omniglass/api";
import { ERROR_CODES } from "@omniglass/domain";
import { getRuntime } from "./runtime";
import { peerOf, requestIdOf } from "./request";
import { sseResponse, takeStreamSlot, type NatsConnection } from "./live-stream";

/*
 * What the live routes (/api/live/*) share: the caller the request authenticates as (the same
 * procedures the pages read with decide scope), problem+json refusals, and opening the stream
 * once the bus is reachable and a slot is free.
 */

const createCaller = createCallerFactory(appRouter);
export type LiveCaller = ReturnType<typeof createCaller>;

export function liveProblem(
  requestId: string,
  code: "INVALID" | "UNAVAILABLE",
  detail: string,
  extra: Partial<PublicError> = {},
  headers?: Record<string, string>,
): Response {
  const { status, title } = ERROR_CODES[code];
  return problemResponse(
    { code, status, title, detail, fieldErrors: [], ...extra },
    requestId,
    headers,
  );
}

/** The request's id and its caller (session cookie or bearer token, checked per call). */
export function liveRequest(req: Request): { requestId: string; caller: LiveCaller } {
  const requestId = requestIdOf(req.headers);
  const { deps } = getRuntime();
  const caller = createCaller(
    createContext({
      deps,
      requestId,
      source: "console",
      ip: peerOf(req.headers),
      headers: req.headers,
    }),
  );
  return { requestId, caller };
}

/**
 * 503 while the bus is unreachable or the process holds as many streams as it allows; else the
 * event stream `open` builds on the connection, with a slot it must release exactly once.
 */
export function openLiveStream(
  requestId: string,
  open: (nc: NatsConnection, release: () => void) => ReadableStream<Uint8Array>,
): Response {
  const nc = getRuntime().bus.current();
  if (!nc || nc.isClosed())
    return liveProblem(
      requestId,
      "UNAVAILABLE",
      "The message bus is unreachable; live updates resume when it is back.",
      {},
      { "retry-after": "5" },
    );
  const release = takeStreamSlot();
  if (!release)
    return liveProblem(
      requestId,
      "UNAVAILABLE",
      "This server holds as many live streams as it allows; retry shortly.",
      {},
      { "retry-after": "10" },
    );
  return sseResponse(open(nc, release), requestId);
}
