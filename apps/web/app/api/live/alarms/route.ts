import { TRPCError } from "@trpc/server";
import { SUBJECTS } from "@omniglass/bus";
import { problemResponse, toPublicError } from "@omniglass/api";
import { liveStream, subscribeTo, watchBus } from "~/server/live-stream";
import { accessOf, createAlarmRelay } from "~/server/live-alarms";
import { liveRequest, openLiveStream } from "~/server/live-route";

export const dynamic = "force-dynamic";

/**
 * `GET /api/live/alarms`: server-sent events of every alarm change (`event: alarm`, an
 * `AlarmsChanged`) and health change (`event: health`, a `HealthChanged`) the caller may see, for
 * the alarm queue and the health badges of any page (one stream per page, whatever it shows).
 * 401 without a session or token. Each change is passed on only when the procedure the page reads
 * it with finds it for the caller (`alarm.get`; `component.get`, `system.get`, `location.get`).
 */
export async function GET(req: Request) {
  const { requestId, caller } = liveRequest(req);
  try {
    await caller.auth.me();
  } catch (error) {
    if (error instanceof TRPCError) return problemResponse(toPublicError(error), requestId);
    throw error;
  }
  const relay = createAlarmRelay(accessOf(caller));
  return openLiveStream(requestId, (nc, release) =>
    liveStream({
      ready: { stream: "alarms" },
      toEvent: relay.toEvent,
      onReauthorized: relay.forget,
      signal: req.signal,
      release,
      source: {
        subscribe: subscribeTo(nc, [SUBJECTS.liveAlarms, SUBJECTS.liveHealthAll]),
        watch: watchBus(nc),
        stillAllowed: () =>
          caller.auth.me().then(
            () => true,
            (error: unknown) => !(error instanceof TRPCError),
          ),
      },
    }),
  );
}
