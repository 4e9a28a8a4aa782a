import { and, eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import { loadPublishedVersions, loadTemplateLibrary } from "./catalog/library";
import { OFFICIAL_SIGNALS } from "./catalog/signals";
import { signalColumns } from "./catalog/signal-registry";
import { insertTemplate } from "./catalog/templates";
import { unsafeSyncTemplateRules } from "./rules/template-rules";
import type { Database, Transaction } from "./db";
import { locationType, role, signal, systemType, template } from "./schema";

/** The official roles (DESIGN.md §5). Owner-only platform settings are `platform:*`. */
export const OFFICIAL_ROLES = [
  {
    name: "owner",
    label: "Owner",
    description: "Everything, including owner-only platform settings.",
    permissions: ["*:*"],
  },
  {
    name: "admin",
    label: "Administrator",
    description:
      "Reads and changes everything; owner-only platform settings (none yet) will be left out.",
    // Every action built so far, by verb; a new verb joins this list in the change that adds it.
    permissions: [
      "*:read",
      "*:create",
      "*:update",
      "*:delete",
      "*:disable",
      "*:enable",
      "*:rename",
      "*:move",
      "alarm:acknowledge",
      "alarm:resolve",
      "silence:*",
      "maintenance:*",
      "command:*",
      "action:*",
      "sample:push",
    ],
  },
  {
    name: "operator",
    label: "Operator",
    description:
      "Reads everything; builds and maintains systems and components (create, update, membership); acknowledges and resolves alarms, sets silences and maintenance windows, issues commands.",
    // Operators build rooms (issue #4): they add systems and components and change them, but
    // renaming, moving and deleting stay with admins (docs/decisions/0006-estate-model.md).
    permissions: [
      "*:read",
      "system:create",
      "system:update",
      "component:create",
      "component:update",
      "alarm:acknowledge",
      "alarm:resolve",
      "silence:*",
      "maintenance:*",
      "command:*",
    ],
  },
  {
    name: "viewer",
    label: "Viewer",
    description: "Reads everything in scope.",
    permissions: ["*:read"],
  },
  {
    name: "integrator",
    label: "Integrator",
    description:
      "A third-party system: reads everything in scope and pushes samples for the owners there (POST /samples).",
    permissions: ["*:read", "sample:push"],
  },
  {
    name: "node",
    label: "Node",
    description:
      "An edge collector: reads its own worklist. Given to a node when it enrolls; nothing else.",
    permissions: ["node:poll"],
  },
] as const;

export const OFFICIAL_SYSTEM_TYPES = [
  { name: "meeting-room", label: "Meeting room" },
  { name: "classroom", label: "Classroom" },
  { name: "huddle-room", label: "Huddle room" },
  { name: "video-wall", label: "Video wall" },
  { name: "auditorium", label: "Auditorium" },
  { name: "broadcast-chain", label: "Broadcast chain" },
] as const;

export const OFFICIAL_LOCATION_TYPES = [
  { name: "campus", label: "Campus" },
  { name: "building", label: "Building" },
  { name: "floor", label: "Floor" },
  { name: "room", label: "Room" },
] as const;

/**
 * Seeds the official registry rows, idempotently: missing rows are created and official rows are
 * brought back to their definition. Operators' own rows are never touched.
 */
export async function unsafeSeedRegistries(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    for (const r of OFFICIAL_ROLES) {
      await tx
        .insert(role)
        .values({ id: uuidv7(), ...r, permissions: [...r.permissions], official: true })
        .onConflictDoUpdate({
          target: role.name,
          set: {
            label: r.label,
            description: r.description,
            permissions: [...r.permissions],
            official: true,
          },
          setWhere: sql`${role.official}`,
        });
    }
    for (const t of OFFICIAL_SYSTEM_TYPES) {
      await tx
        .insert(systemType)
        .values({ id: uuidv7(), ...t, official: true })
        .onConflictDoUpdate({
          target: systemType.name,
          set: { label: t.label, official: true },
          setWhere: sql`${systemType.official}`,
        });
    }
    for (const t of OFFICIAL_LOCATION_TYPES) {
      await tx
        .insert(locationType)
        .values({ id: uuidv7(), ...t, official: true })
        .onConflictDoUpdate({
          target: locationType.name,
          set: { label: t.label, official: true },
          setWhere: sql`${locationType.official}`,
        });
    }
    for (const definition of OFFICIAL_SIGNALS) {
      const columns = signalColumns(definition);
      await tx
        .insert(signal)
        .values({ id: uuidv7(), ...columns, official: true })
        .onConflictDoUpdate({
          target: signal.name,
          set: { ...columns, official: true },
          setWhere: sql`${signal.official}`,
        });
    }
    await seedTemplateLibrary(tx);
    // Every template version's declared rules, as read-only `origin: template` event rules.
    await unsafeSyncTemplateRules(tx);
  });
}

/**
 * Publishes the library's template versions that are not there yet. A published version is
 * immutable: a library file whose content differs from the stored version of the same number is
 * an error (give it the next version instead), never a silent rewrite.
 */
async function seedTemplateLibrary(tx: Transaction) {
  for (const document of [...loadPublishedVersions(), ...loadTemplateLibrary()]) {
    const [stored] = await tx
      .select({
        same: sql<boolean>`${template.document} = ${JSON.stringify(document)}::jsonb`,
      })
      .from(template)
      .where(and(eq(template.name, document.name), eq(template.version, document.version)));
    if (stored?.same) continue;
    if (stored)
      throw new Error(
        `the library's ${document.name}@${document.version} differs from the published version; give the change a new version`,
      );
    await insertTemplate(tx, document, { official: true, createdBy: null });
  }
}
