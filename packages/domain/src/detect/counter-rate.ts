/**
 * Counters become rates. A device counts monotonically (SNMP `ifHCInOctets`); what an operator and
 * a rule want is the change per second. Between two readings:
 * - the counter grew: (current − previous) / seconds;
 * - the device restarted (its uptime went back, or is below the interval): no rate for this
 *   interval — the count restarted from zero at an unknown moment, so any figure would be invented;
 * - the counter went back without a restart: it wrapped at 2^bits, so the change is
 *   current + 2^bits − previous. With the width declared (`bits`, the node always passes it):
 *   a 32-bit counter may wrap anywhere (at 10 Gb/s it does every 3.4 s); a 64-bit counter wraps
 *   only from the top half of its range (it takes decades at line rate), so a 64-bit counter that
 *   went back from below 2^63 was reset (`clear counters`, an agent restart the uptime did not
 *   show) and gives no figure rather than a spike of ~2^64. Without `bits` the width is guessed:
 *   the smallest of 32 and 64 that holds the previous reading.
 *
 * Values are JavaScript numbers: above 2^53 a reading is rounded to a few kilobytes, which is
 * noise in a rate over seconds. A bigint reading (SNMP Counter64 as decoded) is taken exactly.
 */
export interface CounterReading {
  value: number | bigint;
  /** Observation time, ms. */
  at: number;
  /** The device's uptime in seconds when read (sysUpTime), if it reports one. */
  uptime?: number | null;
}

export type CounterBits = 32 | 64;

const TWO_32 = 2n ** 32n;
const TWO_63 = 2n ** 63n;
const TWO_64 = 2n ** 64n;

function exact(value: number | bigint): bigint | null {
  if (typeof value === "bigint") return value >= 0n ? value : null;
  if (!Number.isFinite(value) || value < 0) return null;
  return BigInt(Math.round(value));
}

export function counterRate(
  previous: CounterReading,
  current: CounterReading,
  bits?: CounterBits,
): number | null {
  const seconds = (current.at - previous.at) / 1000;
  if (!(seconds > 0)) return null;
  const restarted =
    previous.uptime != null && current.uptime != null
      ? current.uptime < previous.uptime || current.uptime < seconds
      : false;
  if (restarted) return null;
  const before = exact(previous.value);
  const now = exact(current.value);
  if (before === null || now === null) return null;
  const width = bits === 32 ? TWO_32 : bits === 64 ? TWO_64 : before < TWO_32 ? TWO_32 : TWO_64;
  // A reading the declared width cannot hold is not this counter.
  if (bits !== undefined && (before >= width || now >= width)) return null;
  if (now >= before) return Number(now - before) / seconds;
  if (bits === 64 && before < TWO_63) return null;
  const delta = now + width - before;
  // A "wrap" larger than the width allows is a reset we could not see: no figure.
  return delta > 0n && delta < width ? Number(delta) / seconds : null;
}
