import { lt } from "drizzle-orm";
import type { Database } from "../db";
import { worker } from "../schema";

/** Forgets workers silent since before `olderThan` (the registry would otherwise grow with every restart). */
export async function unsafePruneWorkers({
  db,
  olderThan,
}: {
  db: Database;
  olderThan: Date;
}): Promise<number> {
  const deleted = await db
    .delete(worker)
    .where(lt(worker.lastSeenAt, olderThan))
    .returning({ id: worker.id });
  return deleted.length;
}
