import { describe, expect, it } from "vitest";
import { parseCidrList } from "@omniglass/domain";
import { bindRefusal } from "./env";

describe("bindRefusal", () => {
  it("lets loopback binds start without trusted networks", () => {
    for (const host of ["127.0.0.1", "127.0.0.2", "::1", "localhost"]) {
      expect(bindRefusal({ host, trustedNetworks: [] }), host).toBeNull();
    }
  });

  it("refuses any other bind without trusted networks, naming the variable", () => {
    for (const host of ["0.0.0.0", "::", "192.0.2.10", "omniglass.example"]) {
      expect(bindRefusal({ host, trustedNetworks: [] }), host).toMatch(
        /OMNIGLASS_TRUSTED_NETWORKS/,
      );
    }
  });

  it("allows it once trusted networks are configured", () => {
    expect(
      bindRefusal({ host: "0.0.0.0", trustedNetworks: parseCidrList("100.64.0.0/10") }),
    ).toBeNull();
  });
});
