import { sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { Database } from "./db";
import { locationType, role, systemType } from "./schema";

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
      "alarm:acknowledge",
      "alarm:resolve",
      "silence:*",
      "command:*",
    ],
  },
  {
    name: "operator",
    label: "Operator",
    description:
      "Reads everything; acknowledges and resolves alarms, sets silences, issues commands.",
    permissions: ["*:read", "alarm:acknowledge", "alarm:resolve", "silence:*", "command:*"],
  },
  {
    name: "viewer",
    label: "Viewer",
    description: "Reads everything in scope.",
    permissions: ["*:read"],
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
  });
}
