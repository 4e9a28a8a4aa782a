import type { HealthOwnerKind, Verdict } from "@omniglass/contracts";
import type { Judgement } from "@omniglass/domain";

/** What a recompute changed: one per owner whose verdict moved (the live relay publishes these). */
export interface HealthChange {
  ownerKind: HealthOwnerKind;
  ownerId: string;
  verdict: Verdict;
  /** null: the first verdict recorded for this owner. */
  previous: Verdict | null;
  /** ISO instant: the transaction's time, the owner's new `since`. */
  at: string;
}

/** What changed in a transaction: the owners to judge again (and everything above them). */
export interface HealthSeeds {
  componentIds?: readonly string[];
  systemIds?: readonly string[];
  locationIds?: readonly string[];
}

/** An owner's stored health row, as the stages read it. */
export interface StoredHealth {
  verdict: Verdict;
  since: Date;
  judgement: Judgement;
  explanation: string;
}

/** One owner judged in a stage, with what was stored before. */
export interface Judged {
  ownerId: string;
  judgement: Judgement;
  stored: StoredHealth | null;
}
