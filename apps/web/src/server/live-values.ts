import { LiveValuesChanged } from "@omniglass/contracts";
import { liveStream, type LiveSource } from "./live-stream";

/**
 * The live relay of one owner's current values: the page's stream is fed by a core-NATS
 * subscription to `og.v1.live.values.<id>` (transport in live-stream.ts).
 */

export {
  HEARTBEAT_MS,
  MAX_LIVE_STREAMS,
  openLiveStreams,
  REAUTHORIZE_MS,
  RETRY_MS,
  sseEvent,
  takeStreamSlot,
  type LiveSource,
} from "./live-stream";

/** The payload of a bus message if it honours the contract and names this owner, else null. */
export function parseLiveMessage(payload: string, ownerId: string): LiveValuesChanged | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = LiveValuesChanged.safeParse(json);
  return parsed.success && parsed.data.ownerId === ownerId ? parsed.data : null;
}

/** `ready` names the owner; each change of it is `event: values`. */
export function liveValuesStream({
  owner,
  source,
  signal,
  release,
  heartbeatMs,
  reauthorizeMs,
}: {
  owner: { kind: string; id: string };
  source: LiveSource;
  signal: AbortSignal;
  release: () => void;
  heartbeatMs?: number;
  reauthorizeMs?: number;
}): ReadableStream<Uint8Array> {
  return liveStream({
    ready: { ownerKind: owner.kind, ownerId: owner.id },
    toEvent: (payload) => {
      const message = parseLiveMessage(payload, owner.id);
      return message ? { event: "values", data: message } : null;
    },
    source,
    signal,
    release,
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    ...(reauthorizeMs !== undefined ? { reauthorizeMs } : {}),
  });
}
