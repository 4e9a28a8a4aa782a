import { getRuntime } from "~/server/runtime";

export const dynamic = "force-dynamic";

/** Prometheus text exposition: procedure calls and latency, plus Node process metrics. */
export async function GET() {
  const { registry } = getRuntime().deps.metrics;
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType, "cache-control": "no-store" },
  });
}
