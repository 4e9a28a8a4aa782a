/**
 * Counters become rates. A device counts monotonically (SNMP `ifHCInOctets`); what an operator and
 * a rule want is the change per second. Between two readings:
 * - the counter grew: (current − previous) / seconds;
 * - the device restarted (its uptime went back, or is below the interval): no rate for this
 *   interval — the count restarted from zero at an unknown moment, so any figure would be invented;
 * - the counter went back without a restart: it wrapped at 2^32 or 2^64 (the smallest width that
 *   holds the previous reading), so the change is current + 2^width − previous.
 */
export interface CounterReading {
  value: number;
  /** Observation time, ms. */
  at: number;
  /** The device's uptime in seconds when read (sysUpTime), if it reports one. */
  uptime?: number | null;
}

const TWO_32 = 2 ** 32;
const TWO_64 = 2 ** 64;

export function counterRate(previous: CounterReading, current: CounterReading): number | null {
  const seconds = (current.at - previous.at) / 1000;
  if (!(seconds > 0)) return null;
  const restarted =
    previous.uptime != null && current.uptime != null
      ? current.uptime < previous.uptime || current.uptime < seconds
      : false;
  if (restarted) return null;
  if (current.value >= previous.value) return (current.value - previous.value) / seconds;
  const width = previous.value < TWO_32 ? TWO_32 : TWO_64;
  const delta = current.value + width - previous.value;
  // A "wrap" larger than the width allows is a reset we could not see: no figure.
  return delta > 0 && delta < width ? delta / seconds : null;
}
