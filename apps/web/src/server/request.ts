import { randomUUID } from "node:crypto";

/** Set by server.ts from the socket; any client-sent copy is removed before Next.js sees the request. */
export const PEER_HEADER = "x-omniglass-peer";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A caller may choose its request id (to correlate logs); anything else gets a fresh uuid. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

export function peerOf(headers: Headers): string | null {
  return headers.get(PEER_HEADER);
}
