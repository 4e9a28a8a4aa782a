import { counterRate, type CounterBits, type CounterReading } from "@omniglass/domain";

/*
 * The node's memory of counter readings (a template output with `counter: 32 | 64`): the last
 * reading of each series, so the next one becomes a per-second rate (packages/domain counterRate).
 * In memory only: after the node starts, a series' first reading gives no value, never a guess
 * from a reading some earlier process took.
 */

export class CounterMemory {
  private readonly last = new Map<string, CounterReading>();

  /** Records `reading` for the series `key`; the rate since the previous one, or null. */
  rate(key: string, reading: CounterReading, bits: CounterBits): number | null {
    const previous = this.last.get(key);
    this.last.set(key, reading);
    return previous ? counterRate(previous, reading, bits) : null;
  }

  /** Forgets every series of one function of a component (it was removed or changed). */
  forget(component: string, fn: string): void {
    const prefix = `${component}\u0000${fn}\u0000`;
    for (const key of this.last.keys()) if (key.startsWith(prefix)) this.last.delete(key);
  }

  get size(): number {
    return this.last.size;
  }
}

export function counterKey(component: string, fn: string, signal: string, instance: string) {
  return `${component}\u0000${fn}\u0000${signal}\u0000${instance}`;
}
