import type { OwnerKind } from "@omniglass/contracts";
import type { Actor } from "@omniglass/domain";
import { resolveComponent } from "../components/resolve-component";
import type { Database, Transaction } from "../db";
import { resolveLocation } from "../locations/resolve-location";
import { resolveSystem } from "../systems/resolve-system";

export interface ResolvedOwner {
  kind: OwnerKind;
  id: string;
  path: string;
  /** A component's pinned template (its declared signals). */
  templateId: string | null;
}

/**
 * An owner of series by reference, within the read scope of its kind (`component:read`,
 * `system:read`, `location:read`): outside it, the same 404 as a missing one.
 */
export async function resolveOwner(
  db: Database | Transaction,
  actor: Actor,
  kind: OwnerKind,
  ref: string,
): Promise<ResolvedOwner> {
  switch (kind) {
    case "component": {
      const found = await resolveComponent(db, actor, ref);
      return { kind, id: found.row.id, path: found.row.path, templateId: found.row.templateId };
    }
    case "system": {
      const found = await resolveSystem(db, actor, ref);
      return { kind, id: found.row.id, path: found.row.path, templateId: null };
    }
    case "location": {
      const found = await resolveLocation(db, actor, ref);
      return { kind, id: found.id, path: found.path, templateId: null };
    }
  }
}
