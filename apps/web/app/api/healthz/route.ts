import { checkHealth } from "@omniglass/api";
import { getRuntime } from "~/server/runtime";

export const dynamic = "force-dynamic";

/** Unauthenticated liveness and readiness: 200 when the database and NATS both answer, 503 otherwise. */
export async function GET() {
  const report = await checkHealth(getRuntime().deps);
  return Response.json(report, {
    status: report.status === "up" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
