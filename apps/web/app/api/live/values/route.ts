import { TRPCError } from "@trpc/server";
import { SUBJECTS } from "@omniglass/bus";
import { problemResponse, toPublicError } from "@omniglass/api";
import { liveValuesStream } from "~/server/live-values";
import { liveProblem, liveRequest, openLiveStream } from "~/server/live-route";
import { subscribeTo, watchBus } from "~/server/live-stream";

export const dynamic = "force-dynamic";

const KINDS = ["component", "system", "location"] as const;
type Kind = (typeof KINDS)[number];

/**
 * `GET /api/live/values?owner=<ref>&kind=component|system|location`: server-sent events for one
 * owner's current values. The caller is authenticated and its scope checked by the same procedure
 * the page reads the owner with (`component.get`, …): 401 without a session or token, 404 for an
 * owner out of its scope. Then each `LiveValuesChanged` the worker publishes on
 * `og.v1.live.values.<id>` is passed on as `event: values`.
 */
export async function GET(req: Request) {
  const { requestId, caller } = liveRequest(req);
  const url = new URL(req.url);
  const ref = url.searchParams.get("owner") ?? "";
  const kind = (url.searchParams.get("kind") ?? "component") as Kind;
  if (!ref || ref.length > 500 || !KINDS.includes(kind)) {
    return liveProblem(requestId, "INVALID", "Invalid input: owner, kind", {
      fieldErrors: [
        ...(!ref || ref.length > 500 ? [{ field: "owner", message: "an owner's id or path" }] : []),
        ...(!KINDS.includes(kind)
          ? [{ field: "kind", message: `one of ${KINDS.join(", ")}` }]
          : []),
      ],
    });
  }

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

  return openLiveStream(requestId, (nc, release) =>
    liveValuesStream({
      owner: { kind, id: ownerId },
      signal: req.signal,
      release,
      source: {
        subscribe: subscribeTo(nc, [SUBJECTS.liveValues(ownerId)]),
        watch: watchBus(nc),
        stillAllowed: () =>
          resolve().then(
            (id) => id === ownerId,
            (error: unknown) => !(error instanceof TRPCError),
          ),
      },
    }),
  );
}
