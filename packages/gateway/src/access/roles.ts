import { asc, gt } from "drizzle-orm";
import type { ListInput, RequestMeta, Role } from "@omniglass/contracts";
import type { Database } from "../db";
import { readCursor, toPage } from "../list";
import { role } from "../schema";

/** Roles by name. Roles are platform-wide, so `role:read` has no scope. */
export async function listRoles({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: ListInput;
}) {
  const cursor = readCursor(input, 1);
  const rows = await db
    .select()
    .from(role)
    .where(cursor ? gt(role.name, String(cursor[0])) : undefined)
    .orderBy(asc(role.name))
    .limit(input.page_size + 1);
  return toPage(
    rows,
    input,
    (r) => [r.name],
    (r): Role => ({
      id: r.id,
      name: r.name,
      label: r.label,
      description: r.description,
      permissions: r.permissions,
      official: r.official,
    }),
  );
}
