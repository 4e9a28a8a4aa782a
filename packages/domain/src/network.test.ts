import { describe, expect, it } from "vitest";
import {
  cidrContains,
  isLoopbackAddress,
  isLoopbackHost,
  isTrustedPeer,
  parseAddress,
  parseCidr,
  parseCidrList,
  type Cidr,
} from "./network";

const cidr = (text: string) => parseCidr(text) as Cidr;

describe("parseAddress", () => {
  it("reads IPv4 and IPv6 in their usual spellings", () => {
    expect(parseAddress("10.1.2.3")).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseAddress("::")).toEqual({ family: 6, value: 0n });
    expect(parseAddress("::1")).toEqual({ family: 6, value: 1n });
    expect(parseAddress("[::1]")).toEqual({ family: 6, value: 1n });
    expect(parseAddress("fe80::1%eth0")).toEqual({ family: 6, value: (0xfe80n << 112n) | 1n });
    expect(parseAddress("2001:db8::")?.value).toBe(0x20010db8n << 96n);
    expect(parseAddress("2001:0db8:0000:0000:0000:0000:0000:0001")).toEqual(
      parseAddress("2001:db8::1"),
    );
  });

  it("reports IPv4-mapped IPv6 peers as IPv4", () => {
    expect(parseAddress("::ffff:10.1.2.3")).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseAddress("::ffff:a01:203")).toEqual({ family: 4, value: 0x0a010203n });
  });

  it("rejects what is not an address", () => {
    for (const text of [
      "",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "1.2.3.-4",
      "::g",
      "1::2::3",
      "1:2:3:4:5:6:7:8:9",
      "localhost",
      "10.0.0.0/8",
    ]) {
      expect(parseAddress(text), text).toBeNull();
    }
  });
});

describe("parseCidr and parseCidrList", () => {
  it("masks the host bits and defaults to a host route", () => {
    expect(parseCidr("10.1.2.3/8")).toMatchObject({ family: 4, network: 0x0a000000n, prefix: 8 });
    expect(parseCidr("10.1.2.3")).toMatchObject({ prefix: 32, network: 0x0a010203n });
    expect(parseCidr("fd7a:115c:a1e0::/48")).toMatchObject({ family: 6, prefix: 48 });
    expect(parseCidr("0.0.0.0/0")).toMatchObject({ prefix: 0, network: 0n });
  });

  it("rejects prefixes out of range or not numbers", () => {
    for (const text of [
      "10.0.0.0/33",
      "::/129",
      "10.0.0.0/-1",
      "10.0.0.0/abc",
      "10.0.0.0/8/8",
      "10.0.0.0/",
      "nope/8",
      "10.0.0.0/8.5",
    ]) {
      expect(parseCidr(text), text).toBeNull();
    }
  });

  it("splits on commas and white space and names the first bad entry", () => {
    expect(
      parseCidrList("100.64.0.0/10, fd7a:115c:a1e0::/48\n 192.0.2.0/24").map((c) => c.text),
    ).toEqual(["100.64.0.0/10", "fd7a:115c:a1e0::/48", "192.0.2.0/24"]);
    expect(parseCidrList("")).toEqual([]);
    expect(() => parseCidrList("100.64.0.0/10, tailnet, 10.0.0.0/99")).toThrow(/"tailnet"/);
  });
});

describe("cidrContains", () => {
  it("holds exactly the addresses of the network", () => {
    const cgnat = cidr("100.64.0.0/10");
    expect(cidrContains(cgnat, "100.63.255.255")).toBe(false);
    expect(cidrContains(cgnat, "100.64.0.0")).toBe(true);
    expect(cidrContains(cgnat, "100.127.255.255")).toBe(true);
    expect(cidrContains(cgnat, "100.128.0.0")).toBe(false);
    expect(cidrContains(cgnat, "::ffff:100.100.1.1")).toBe(true);
    const tailnet = cidr("fd7a:115c:a1e0::/48");
    expect(cidrContains(tailnet, "fd7a:115c:a1e0:ab12::1")).toBe(true);
    expect(cidrContains(tailnet, "fd7a:115c:a1e1::1")).toBe(false);
  });

  it("never matches across families, even for /0", () => {
    expect(cidrContains(cidr("0.0.0.0/0"), "203.0.113.9")).toBe(true);
    expect(cidrContains(cidr("0.0.0.0/0"), "2001:db8::1")).toBe(false);
    expect(cidrContains(cidr("::/0"), "2001:db8::1")).toBe(true);
    expect(cidrContains(cidr("::/0"), "203.0.113.9")).toBe(false);
    expect(cidrContains(cidr("0.0.0.0/0"), "garbage")).toBe(false);
  });
});

describe("loopback and trusted peers", () => {
  it("knows loopback", () => {
    for (const address of ["127.0.0.1", "127.255.255.254", "::1", "::ffff:127.0.0.1"]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of ["0.0.0.0", "::", "128.0.0.1", "10.0.0.1", "::2"]) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("0.0.0.0")).toBe(false);
    expect(isLoopbackHost("omniglass.example")).toBe(false);
  });

  it("trusts loopback always, configured networks only, and fails closed", () => {
    const trusted = parseCidrList("100.64.0.0/10");
    expect(isTrustedPeer("127.0.0.1", [])).toBe(true);
    expect(isTrustedPeer("::1", trusted)).toBe(true);
    expect(isTrustedPeer("100.64.1.1", trusted)).toBe(true);
    expect(isTrustedPeer("100.64.1.1", [])).toBe(false);
    expect(isTrustedPeer("192.0.2.1", trusted)).toBe(false);
    expect(isTrustedPeer(undefined, trusted)).toBe(false);
    expect(isTrustedPeer(null, trusted)).toBe(false);
    expect(isTrustedPeer("not an address", parseCidrList("0.0.0.0/0"))).toBe(false);
  });
});
