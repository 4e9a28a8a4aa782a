import { Assessment, AssessmentInput } from "@omniglass/contracts";
import { readAssessment } from "@omniglass/gateway";
import { capability } from "../../trpc";

/**
 * `assessment.get`: GET /assessment?scope=<ref>&format=json|md. The status with evidence of every
 * system and component in a location, system or component (in the caller's read scope), the
 * contradictions between declared and observed, and what works, is degraded, missing or blocked.
 * Over REST, `format=md` answers the same content as text/markdown (rest-markdown.ts); over
 * tRPC the answer is always the JSON.
 */
export const getAssessment = capability("assessment:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/assessment",
      tags: ["assessment"],
      summary: "Assessment: status with evidence, contradictions, what works and what does not",
      description:
        "For every system and component in the scope: its verdict, the last sample of each signal (value, source, when measured), open alarms, stale signals and coverage gaps; the contradictions between the inventory or declarations and what the devices report; and a summary (working, degraded, missing, blocked) ordered by path. `format=md` answers the same content as Markdown (`text/markdown`). Only `generatedAt` differs between two calls with no change in between. A scope outside your read scope is the same 404 as a missing one (docs/guides/assessment.md).",
    },
  })
  .input(AssessmentInput)
  .output(Assessment)
  .query(({ ctx, input }) =>
    readAssessment({
      db: ctx.gw.db,
      actor: ctx.gw.actor,
      input: { scope: input.scope },
      version: ctx.deps.version,
    }),
  );
