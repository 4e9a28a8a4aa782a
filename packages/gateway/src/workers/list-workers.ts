import { and, desc, eq, lt, or } from "drizzle-orm";
import type { ListInput, RequestMeta, Worker } from "@omniglass/contracts";
import { deriveWorkerState } from "@omniglass/domain";
import type { Database } from "../db";
import { readCursor, toPage, type Page } from "../list";
import { worker } from "../schema";

/** Workers, newest first, one statement per page. */
export async function listWorkers({
  db,
  input,
}: {
  db: Database;
  meta: RequestMeta;
  input: ListInput;
}): Promise<Page<Worker>> {
  const cursor = readCursor(input, 2);
  const after = cursor
    ? or(
        lt(worker.startedAt, new Date(String(cursor[0]))),
        and(eq(worker.startedAt, new Date(String(cursor[0]))), lt(worker.id, String(cursor[1]))),
      )
    : undefined;
  const rows = await db
    .select()
    .from(worker)
    .where(after)
    .orderBy(desc(worker.startedAt), desc(worker.id))
    .limit(input.page_size + 1);
  const now = new Date();
  return toPage(
    rows,
    input,
    (row) => [row.startedAt.toISOString(), row.id],
    (row): Worker => ({
      id: row.id,
      hostname: row.hostname,
      pid: row.pid,
      version: row.version,
      state: deriveWorkerState(row, now),
      startedAt: row.startedAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      intervalMs: row.intervalMs,
      consumers: row.consumers,
      lastError: row.lastError,
    }),
  );
}
