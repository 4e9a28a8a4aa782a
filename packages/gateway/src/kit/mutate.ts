import type { RequestMeta } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { writeAudit, type AuditPlacement } from "../audit";
import type { Database, Transaction } from "../db";
import { authorize, type Check } from "./authorize";
import { assertFreshVersion } from "./versions";

/** What every gateway use case is handed: the pool, who asks, and the request's metadata. */
export interface GatewayContext {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
}

/** `apply` found nothing to change: no write, no audit row, the current image is answered. */
export const UNCHANGED = Symbol("unchanged");

/** What `apply` did: the id it created, or other audit images than the read-backs. */
export interface Applied {
  /** The object's id when `apply` created it (`subject` had none). */
  id?: string;
  /** Audit images when they are not the before/after read-backs (a membership, a role). */
  before?: unknown;
  after?: unknown;
  /** `apply` deleted the object: nothing to read back; the audit row keeps the before image. */
  deleted?: true;
}

/**
 * The one shape of a gateway write: resolve for update → authorize (every scope the write needs,
 * checked together: a writer cannot forget a side) → version check → change → read back → audit,
 * in one transaction. The answer is the read-back.
 */
export async function mutate<Subject, Image>(
  { db, actor, meta }: GatewayContext,
  spec: {
    verb: string;
    resource: string;
    /** Scopes needed whatever the subject (a registry, scope all): checked before resolving. */
    requires?: Check[];
    /** Finds (and locks) what the write is about, within read scope: outside it is a 404. */
    resolve: (tx: Transaction) => Promise<Subject>;
    /** Every scope the write needs, the object's and the other end's of a relation. */
    needs?: (subject: Subject, tx: Transaction) => Check[] | Promise<Check[]>;
    /** The existing object's id (absent for a create, whose `apply` returns it). */
    id?: (subject: Subject) => string;
    /** `[what, expected, actual]` for the optimistic concurrency check. */
    version?: (subject: Subject) => [string, number | undefined, number];
    /** The image answered and audited (before and after the change). */
    read: (tx: Transaction, id: string, subject: Subject) => Promise<Image>;
    /** Where the object is placed, for audit reads, when its images do not say (`path`). */
    placement?: (subject: Subject) => AuditPlacement;
    apply: (
      tx: Transaction,
      subject: Subject,
      before: Image | undefined,
    ) => Promise<Applied | typeof UNCHANGED | void>;
  },
): Promise<Image> {
  return db.transaction(async (tx) => {
    authorize(actor, spec.requires ?? []);
    const subject = await spec.resolve(tx);
    authorize(actor, (await spec.needs?.(subject, tx)) ?? []);
    if (!spec.requires?.length && !spec.needs)
      throw new Error(`${spec.resource} ${spec.verb} states no scope (requires or needs)`);
    if (spec.version) assertFreshVersion(...spec.version(subject));
    const existing = spec.id?.(subject);
    const before = existing === undefined ? undefined : await spec.read(tx, existing, subject);
    const applied = await spec.apply(tx, subject, before);
    if (applied === UNCHANGED) return before!;
    const id = applied?.id ?? existing;
    if (id === undefined) throw new Error(`${spec.resource} ${spec.verb}: apply returned no id`);
    if (applied?.deleted) {
      await writeAudit(tx, meta, {
        verb: spec.verb,
        resource: spec.resource,
        resourceId: id,
        before: "before" in applied ? applied.before : before,
        ...(spec.placement ? { placement: spec.placement(subject) } : {}),
      });
      return before!;
    }
    const after = await spec.read(tx, id, subject);
    await writeAudit(tx, meta, {
      verb: spec.verb,
      resource: spec.resource,
      resourceId: id,
      ...(applied && "before" in applied
        ? { before: applied.before }
        : before !== undefined
          ? { before }
          : {}),
      ...(applied && "after" in applied ? { after: applied.after } : { after }),
      ...(spec.placement ? { placement: spec.placement(subject) } : {}),
    });
    return after;
  });
}
