import { describe, expect, it } from "vitest";
import { Problem } from "@omniglass/contracts";
import { parseCidrList } from "@omniglass/domain";
import { refuseUntrustedPeer } from "./access";

describe("refuseUntrustedPeer", () => {
  const tailnet = parseCidrList("100.64.0.0/10, fd7a:115c:a1e0::/48");

  it("lets loopback and trusted peers through", () => {
    for (const peer of [
      "127.0.0.1",
      "::1",
      "::ffff:127.0.0.1",
      "100.101.102.103",
      "::ffff:100.64.0.1",
      "fd7a:115c:a1e0::5",
    ]) {
      expect(refuseUntrustedPeer(peer, tailnet), peer).toBeNull();
    }
  });

  it("refuses everyone else with 403 problem+json, and fails closed on an unknown peer", () => {
    for (const peer of [
      "192.0.2.7",
      "100.128.0.1",
      "fd7a:115c:a1e1::5",
      undefined,
      "not-an-address",
    ]) {
      const refusal = refuseUntrustedPeer(peer, tailnet);
      expect(refusal?.status, String(peer)).toBe(403);
      expect(refusal?.headers["content-type"]).toBe("application/problem+json");
      const body = Problem.parse(JSON.parse(refusal!.body));
      expect(body).toMatchObject({
        status: 403,
        code: "FORBIDDEN",
        requestId: refusal?.headers["x-request-id"],
      });
    }
  });

  it("trusts only loopback when no networks are configured", () => {
    expect(refuseUntrustedPeer("127.0.0.1", [])).toBeNull();
    expect(refuseUntrustedPeer("100.64.0.1", [])?.status).toBe(403);
  });
});
