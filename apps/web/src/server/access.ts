import { randomUUID } from "node:crypto";
import { toProblem } from "@omniglass/api";
import { isTrustedPeer, type Cidr } from "@omniglass/domain";

export interface Refusal {
  status: 403;
  headers: Record<string, string>;
  body: string;
}

/**
 * The per-request half of the access model: a peer outside loopback and the trusted networks is
 * refused with 403 problem+json before any route runs. An unknown peer address is refused too.
 */
export function refuseUntrustedPeer(
  peer: string | undefined,
  trusted: readonly Cidr[],
): Refusal | null {
  if (isTrustedPeer(peer, trusted)) return null;
  const requestId = randomUUID();
  const problem = toProblem(
    {
      code: "FORBIDDEN",
      status: 403,
      title: "Forbidden",
      detail: "This address is outside the trusted networks of this server.",
      fieldErrors: [],
    },
    requestId,
  );
  return {
    status: 403,
    headers: { "content-type": "application/problem+json", "x-request-id": requestId },
    body: JSON.stringify(problem),
  };
}
