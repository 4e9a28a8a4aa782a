/**
 * Trusted-network checks for the access model (DESIGN.md §5): the server binds loopback by
 * default; anything else needs a CIDR list, and a peer outside it is refused. Fail closed: an
 * address or CIDR that does not parse matches nothing, and a malformed list is an error.
 */

export interface Cidr {
  text: string;
  family: 4 | 6;
  network: bigint;
  prefix: number;
}

const LOOPBACK_CIDRS = ["127.0.0.0/8", "::1/128"];

function parseIPv4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIPv6(text: string): bigint | null {
  let input = text;
  const zone = input.indexOf("%");
  if (zone !== -1) input = input.slice(0, zone);
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hextets.
  const lastColon = input.lastIndexOf(":");
  if (lastColon !== -1 && input.includes(".", lastColon)) {
    const v4 = parseIPv4(input.slice(lastColon + 1));
    if (v4 === null) return null;
    input = `${input.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = input.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return value;
}

export function parseAddress(text: string): { family: 4 | 6; value: bigint } | null {
  const trimmed = text.trim().replace(/^\[|\]$/g, "");
  const v4 = parseIPv4(trimmed);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(trimmed);
  if (v6 === null) return null;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d), as Node reports IPv4 peers on a dual-stack socket.
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

export function parseCidr(text: string): Cidr | null {
  const [addressText, prefixText, ...rest] = text.trim().split("/");
  if (!addressText || rest.length > 0) return null;
  const address = parseAddress(addressText);
  if (!address) return null;
  const bits = address.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > bits ||
    (prefixText !== undefined && !/^\d+$/.test(prefixText))
  ) {
    return null;
  }
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  return { text: text.trim(), family: address.family, network: address.value & mask, prefix };
}

/** Parses a comma- or space-separated CIDR list; throws naming the first entry that is not a CIDR. */
export function parseCidrList(text: string): Cidr[] {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  return entries.map((entry) => {
    const cidr = parseCidr(entry);
    if (!cidr)
      throw new Error(
        `"${entry}" is not a CIDR (expected e.g. 100.64.0.0/10 or fd7a:115c:a1e0::/48)`,
      );
    return cidr;
  });
}

export function cidrContains(cidr: Cidr, addressText: string): boolean {
  const address = parseAddress(addressText);
  if (!address || address.family !== cidr.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  const mask =
    cidr.prefix === 0 ? 0n : ((1n << BigInt(cidr.prefix)) - 1n) << BigInt(bits - cidr.prefix);
  return (address.value & mask) === cidr.network;
}

const LOOPBACK = LOOPBACK_CIDRS.map((c) => parseCidr(c) as Cidr);

export function isLoopbackAddress(addressText: string): boolean {
  return LOOPBACK.some((cidr) => cidrContains(cidr, addressText));
}

/** The host names a server may bind without a trusted-network list. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopbackAddress(host);
}

/** Loopback peers are always trusted; others only inside a configured network. */
export function isTrustedPeer(
  addressText: string | undefined | null,
  trusted: readonly Cidr[],
): boolean {
  if (!addressText) return false;
  return isLoopbackAddress(addressText) || trusted.some((cidr) => cidrContains(cidr, addressText));
}
