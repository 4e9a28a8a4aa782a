import { TRPCError } from "@trpc/server";
import { SUBJECTS } from "@omniglass/bus";
import {
  appRouter,
  createCallerFactory,
  createContext,
  problemResponse,
  toPublicError,
  type PublicError,
} from "@omniglass/api";
import { ERROR_CODES } from "@omniglass/domain";
import { getRuntime } from "~/server/runtime";
import { peerOf, requestIdOf } from "~/server/request";
import { liveValuesStream, takeStreamSlot } from "~/server/live-values";

export const dynamic = "force-dynamic";

const createCaller = createCallerFactory(appRouter);
const KINDS = ["component", "system", "location"] as const;
type Kind = (typeof KINDS)[number];

function problem(
  requestId: string,
  code: "INVALID" | "UNAVAILABLE",
  detail: string,
  extra: Partial<PublicError> = {},
  headers?: Record<string, string>,
) {
  const { status, title } = ERROR_CODES[code];
  return problemResponse(
    { code, status, title, detail, fieldErrors: [], ...extra },
    requestId,
    headers,
  );
}

/**
 * `GET /api/live/values?owner=<ref>&kind=component|system|location`: server-sent events for one
 * owner's current values. The caller is authenticated and its scope checked by the same procedure
 * the page reads the owner with (`component.get`, …): 401 without a session or token, 404 for an
 * owner out of its scope. Then each `LiveValuesChanged` the worker publishes on
 * `og.v1.live.values.<id>` is passed on as `event: values`.
 */
export async function GET(req: Request) {
  const requestId = requestIdOf(req.headers);
  const url = new URL(req.url);
  const ref = url.searchParams.get("owner") ?? "";
  const kind = (url.searchParams.get("kind") ?? "component") as Kind;
  if (!ref || ref.length > 500 || !KINDS.includes(kind)) {
    return problem(requestId, "INVALID", "Invalid input: owner, kind", {
      fieldErrors: [
        ...(!ref || ref.length > 500 ? [{ field: "owner", message: "an owner's id or path" }] : []),
        ...(!KINDS.includes(kind)
          ? [{ field: "kind", message: `one of ${KINDS.join(", ")}` }]
          : []),
      ],
    });
  }

  const { deps, bus } = getRuntime();
  const caller = createCaller(
    createContext({
      deps,
      requestId,
      source: "console",
      ip: peerOf(req.headers),
      headers: req.headers,
    }),
  );
  const resolve = async (): Promise<string> =>
    kind === "component"
      ? (await caller.component.get({ ref })).id
      : kind === "system"
        ? (await caller.system.get({ ref })).id
        : (await caller.location.get({ ref })).id;

  let ownerId: string;
  try {
    ownerId = await resolve();
  } catch (error) {
    if (error instanceof TRPCError) return problemResponse(toPublicError(error), requestId);
    throw error;
  }

  const nc = bus.current();
  if (!nc || nc.isClosed()) {
    return problem(
      requestId,
      "UNAVAILABLE",
      "The message bus is unreachable; live values resume when it is back.",
      {},
      { "retry-after": "5" },
    );
  }
  const release = takeStreamSlot();
  if (!release) {
    return problem(
      requestId,
      "UNAVAILABLE",
      "This server holds as many live streams as it allows; retry shortly.",
      {},
      { "retry-after": "10" },
    );
  }

  const stream = liveValuesStream({
    owner: { kind, id: ownerId },
    signal: req.signal,
    release,
    source: {
      subscribe(onMessage) {
        const subscription = nc.subscribe(SUBJECTS.liveValues(ownerId), {
          callback: (error, msg) => {
            if (!error) onMessage(msg.string());
          },
        });
        return () => subscription.unsubscribe();
      },
      stillAllowed: () =>
        resolve().then(
          (id) => id === ownerId,
          (error: unknown) => !(error instanceof TRPCError),
        ),
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "content-encoding": "none",
      "x-accel-buffering": "no",
      "x-request-id": requestId,
    },
  });
}
