import { Command } from "commander";
import type { RouterOutputs } from "@omniglass/client";
import { renderAssessmentMarkdown } from "@omniglass/gateway";
import type { CliIo } from "../io";
import { createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass assess <ref>`: the assessment of a location, system or component (GET
 * /api/v1/assessment) — status with evidence, contradictions, what works, is degraded, missing or
 * blocked. Markdown for a person by default (the same bytes the server's `format=md` answers),
 * `--json` for a machine (docs/reference/assessment.schema.json).
 */

type Assessment = RouterOutputs["assessment"]["get"];

export function assessCommand(io: CliIo) {
  const run = createRunner(io);
  const command = withConnection(
    new Command("assess")
      .description(
        "Assessment of a location, system or component: status with evidence, declared vs observed contradictions, and what works, is degraded, missing or blocked (Markdown; --json for the document)",
      )
      .argument("<ref>", "a location, system or component: an id, a unique name or a dotted path"),
  );
  return command.action(async (ref: string, options: Connection) =>
    run(
      options,
      (client) => client.assessment.get.query({ scope: ref }),
      (assessment: Assessment) => io.out(renderAssessmentMarkdown(assessment).trimEnd()),
    ),
  );
}
