import type { Database } from "../db";

/**
 * Writers of one process, per database handle: any number at once while every series they touch
 * is known (their statements take row locks in one order: history in (series, ts) order, series
 * in id order, rejection counts in key order), alone when one creates series (those row locks
 * are taken in key order, which would cross the others'). The ingest lane keeps two writes in
 * flight; the push API writes concurrently with it.
 */
class WriteGate {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  async enter(exclusive: boolean): Promise<() => void> {
    if (this.waiting.length > 0 || !this.fits(exclusive))
      await new Promise<void>((grant) => this.waiting.push({ exclusive, grant }));
    else this.take(exclusive);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (exclusive) this.exclusive = false;
      else this.shared -= 1;
      while (this.waiting.length > 0 && this.fits(this.waiting[0]!.exclusive)) {
        const next = this.waiting.shift()!;
        this.take(next.exclusive);
        next.grant();
      }
    };
  }

  private fits(exclusive: boolean) {
    return exclusive ? !this.exclusive && this.shared === 0 : !this.exclusive;
  }

  private take(exclusive: boolean) {
    if (exclusive) this.exclusive = true;
    else this.shared += 1;
  }
}
const gates = new WeakMap<object, WriteGate>();

export function gateOf(db: Database): WriteGate {
  let gate = gates.get(db);
  if (!gate) {
    gate = new WriteGate();
    gates.set(db, gate);
  }
  return gate;
}
