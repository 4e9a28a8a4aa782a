import { eq, inArray, or, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type {
  OwnerKind,
  PushSamplesInput,
  PushSamplesResult,
  RejectedSample,
  RequestMeta,
} from "@omniglass/contracts";
import { locationScope, pathInScope, placedInScope, type Actor } from "@omniglass/domain";
import type { Database } from "../db";
import { UUID } from "../kit";
import { component, location, system, systemMember } from "../schema";
import {
  unsafeWriteSamples,
  type ChangedOwner,
  type WriteSamplesResult,
  type IncomingRejection,
  type IncomingSample,
} from "../telemetry/ingest";

interface Candidate {
  id: string;
  name: string;
  path: string;
  locationPath: string;
  systemId?: string;
  memberOf?: string[];
}

/** Splits references into ids, dotted paths and names (the rule of `refCondition`). */
function refTerms(refs: Iterable<string>) {
  const ids: string[] = [];
  const paths: string[] = [];
  const names: string[] = [];
  for (const ref of new Set(refs)) {
    if (UUID.test(ref)) ids.push(ref.toLowerCase());
    else if (ref.includes(".")) paths.push(ref);
    else names.push(ref);
  }
  return { ids, paths, names };
}

function matching(
  terms: ReturnType<typeof refTerms>,
  columns: { id: AnyPgColumn; path: AnyPgColumn; name: AnyPgColumn },
): SQL {
  return or(
    terms.ids.length > 0 ? inArray(columns.id, terms.ids) : undefined,
    terms.paths.length > 0 ? inArray(columns.path, terms.paths) : undefined,
    terms.names.length > 0 ? inArray(columns.name, terms.names) : undefined,
  )!;
}

/** Every owner of one kind the references may name, in one or two statements, unscoped. */
async function candidates(db: Database, kind: OwnerKind, refs: string[]): Promise<Candidate[]> {
  const terms = refTerms(refs);
  if (kind === "location") {
    const rows = await db
      .select({ id: location.id, name: location.name, path: location.path })
      .from(location)
      .where(matching(terms, location));
    return rows.map((r) => ({ ...r, locationPath: r.path }));
  }
  if (kind === "system") {
    const rows = await db
      .select({
        id: system.id,
        name: system.name,
        path: system.path,
        locationPath: location.path,
      })
      .from(system)
      .innerJoin(location, eq(location.id, system.locationId))
      .where(matching(terms, system));
    return rows.map((r) => ({ ...r, systemId: r.id }));
  }
  const rows = await db
    .select({
      id: component.id,
      name: component.name,
      path: component.path,
      locationPath: location.path,
    })
    .from(component)
    .innerJoin(location, eq(location.id, component.locationId))
    .where(matching(terms, component));
  const members =
    rows.length === 0
      ? []
      : await db
          .select({ componentId: systemMember.componentId, systemId: systemMember.systemId })
          .from(systemMember)
          .where(
            inArray(
              systemMember.componentId,
              rows.map((r) => r.id),
            ),
          );
  return rows.map((r) => ({
    ...r,
    memberOf: members.filter((m) => m.componentId === r.id).map((m) => m.systemId),
  }));
}

/**
 * The push API (`sample:push`): samples for components, systems or locations named by id, name or
 * path. An owner that does not exist, is named ambiguously or is outside the caller's read scope
 * is `unknown-owner` (nothing about it leaks); one the caller may read but not push for is
 * `out-of-scope`; the rest go to the writer, which validates against the catalog. Every rejection
 * is counted for the caller. A retried batch is safe: history is idempotent on (series, ts).
 */
export async function pushSamples({
  db,
  actor,
  input,
  now = Date.now(),
  onChanged,
  onDetected,
}: {
  db: Database;
  actor: Actor;
  meta: RequestMeta;
  input: PushSamplesInput;
  now?: number;
  /** Told, after the commit, which owners' current values changed (the host relays it live). */
  onChanged?: (changed: ChangedOwner[]) => void;
  /** Told, after the commit, which alarms it opened or resolved and which verdicts it moved. */
  onDetected?: (detected: Pick<WriteSamplesResult, "alarms" | "health">) => void;
}): Promise<PushSamplesResult> {
  const kinds: OwnerKind[] = ["component", "system", "location"];
  const resolved = new Map<OwnerKind, Candidate[]>();
  await Promise.all(
    kinds.map(async (kind) => {
      const refs = input.samples.filter((s) => s.ownerKind === kind).map((s) => s.owner);
      resolved.set(kind, refs.length > 0 ? await candidates(db, kind, refs) : []);
    }),
  );
  const push = locationScope(actor, "sample:push");
  const readable = (kind: OwnerKind, c: Candidate) => {
    const scope = locationScope(actor, `${kind}:read`);
    return kind === "location" ? pathInScope(scope, c.path) : placedInScope(scope, c);
  };
  const pushable = (kind: OwnerKind, c: Candidate) =>
    kind === "location" ? pathInScope(push, c.path) : placedInScope(push, c);

  const early: RejectedSample[] = [];
  const rejections: IncomingRejection[] = [];
  const samples: IncomingSample[] = [];
  const indexOf: number[] = [];
  input.samples.forEach((s, index) => {
    const ref = UUID.test(s.owner) ? s.owner.toLowerCase() : s.owner;
    const matches = (resolved.get(s.ownerKind) ?? []).filter((c) =>
      UUID.test(ref) ? c.id === ref : ref.includes(".") ? c.path === ref : c.name === ref,
    );
    const owner = matches.length === 1 ? matches[0]! : null;
    const refuse = (reason: RejectedSample["reason"], detail: string) => {
      early.push({ index, signal: s.signal, reason, detail });
      rejections.push({
        componentId: owner && s.ownerKind === "component" ? owner.id : null,
        signal: s.signal,
        reason,
        detail,
      });
    };
    if (!owner || !readable(s.ownerKind, owner))
      return refuse(
        "unknown-owner",
        matches.length > 1
          ? `${s.owner} names more than one ${s.ownerKind}; use its path or id.`
          : `No ${s.ownerKind} ${s.owner}.`,
      );
    if (!pushable(s.ownerKind, owner))
      return refuse("out-of-scope", `You may not push samples for ${owner.path}.`);
    indexOf.push(index);
    samples.push({
      ownerKind: s.ownerKind,
      ownerId: owner.id,
      signal: s.signal,
      instance: s.instance,
      ts: s.ts ? Date.parse(s.ts) : now,
      value: s.value,
      expectedIntervalMs: s.expectedInterval ? s.expectedInterval * 1000 : null,
    });
  });
  const written = await unsafeWriteSamples(db, {
    sourceId: actor.id,
    provenance: "pushed",
    samples,
    rejections,
    now,
  });
  if (written.changed.length > 0) onChanged?.(written.changed);
  if (written.alarms.length > 0 || written.health.length > 0)
    onDetected?.({ alarms: written.alarms, health: written.health });
  const rejected = [
    ...early,
    ...written.rejected.map((r) => ({ ...r, index: indexOf[r.index]! })),
  ].sort((a, b) => a.index - b.index);
  return { accepted: written.accepted, rejected };
}
