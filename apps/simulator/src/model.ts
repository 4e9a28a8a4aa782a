/*
 * Pure pieces of the simulated gear's state: power transitions, drifting values, seeded randomness.
 * No I/O here; the clock is passed in, so unit tests drive time by hand.
 */

export type PowerPhase = "on" | "standby" | "warming" | "cooling";

/** A power supply that goes through warming/cooling for `transitionMs` before settling. */
export class Power {
  private phase: PowerPhase;
  private until: number | null = null;

  constructor(on: boolean) {
    this.phase = on ? "on" : "standby";
  }

  /** The phase at `now`, settling a finished transition. */
  at(now: number): PowerPhase {
    if (this.until !== null && now >= this.until) {
      this.phase =
        this.phase === "warming" ? "on" : this.phase === "cooling" ? "standby" : this.phase;
      this.until = null;
    }
    return this.phase;
  }

  /** The instant the running transition ends, if one is running. */
  settlesAt(now: number): number | null {
    this.at(now);
    return this.until;
  }

  /** Switches towards `target`; a no-op when already there or on the way. */
  set(target: "on" | "off", now: number, transitionMs: number): void {
    const phase = this.at(now);
    const wantOn = target === "on";
    if (wantOn && (phase === "on" || phase === "warming")) return;
    if (!wantOn && (phase === "standby" || phase === "cooling")) return;
    if (transitionMs <= 0) {
      this.phase = wantOn ? "on" : "standby";
      this.until = null;
      return;
    }
    this.phase = wantOn ? "warming" : "cooling";
    this.until = now + transitionMs;
  }

  /** True when on or warming up (the lamp/panel draws power). */
  isLit(now: number): boolean {
    const phase = this.at(now);
    return phase === "on" || phase === "warming";
  }
}

/** A small deterministic PRNG (mulberry32) so each device's identity is stable across runs. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate from a uniform source (Box–Muller). */
export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * One step of a mean-reverting random walk (Ornstein–Uhlenbeck): `value` relaxes towards `target`
 * with time constant `tauS` and wanders with `sigma` per √second, over `dtS` seconds.
 */
export function drift(
  value: number,
  target: number,
  { tauS, sigma, dtS, random }: { tauS: number; sigma: number; dtS: number; random: () => number },
): number {
  if (dtS <= 0) return value;
  const pull = 1 - Math.exp(-dtS / tauS);
  return (
    value + (target - value) * pull + sigma * Math.sqrt(Math.min(dtS, tauS)) * gaussian(random)
  );
}

/** Clamps `value` to [min, max]. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** "3 days, 4 hours, 12 minutes, 9 seconds" in Crestron's wording (singular for 1). */
export function crestronUptime(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const parts: [number, string][] = [
    [Math.floor(s / 86400), "day"],
    [Math.floor((s % 86400) / 3600), "hour"],
    [Math.floor((s % 3600) / 60), "minute"],
    [s % 60, "second"],
  ];
  return parts.map(([n, unit]) => `${n} ${unit}${n === 1 ? "" : "s"}`).join(", ");
}
