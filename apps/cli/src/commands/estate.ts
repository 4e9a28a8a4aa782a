import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import type { OmniglassClient, RouterOutputs } from "@omniglass/client";
import { loadEstate, type Diagnostic, type LoadedEstate } from "@omniglass/estate";
import { estateSecretFromEnv } from "../env";
import { InputError } from "../errors";
import type { CliIo } from "../io";
import { emit, printTable, withOutput, type OutputOptions } from "../output";
import { createRunner, withConnection, type Connection } from "../runner";

/**
 * `omniglass estate …`: the estate as files (issue #15, docs/guides/estate-as-code.md).
 * `validate` is local and pure: it reads the files and nothing else (no server, no state); the
 * other verbs talk to the server (plans are stored there, applies run there in one transaction).
 */
export function estateCommand(io: CliIo) {
  return new Command("estate")
    .description(
      "Estate as code: validate, plan and apply the estate from files (docs/guides/estate-as-code.md)",
    )
    .addCommand(validateCommand(io))
    .addCommand(planCommand(io))
    .addCommand(plansCommand(io))
    .addCommand(showCommand(io))
    .addCommand(approveCommand(io))
    .addCommand(applyCommand(io))
    .addCommand(statusCommand(io))
    .addCommand(refreshCommand(io))
    .addCommand(importCommand(io))
    .addCommand(unlockCommand(io));
}

/**
 * Reads `file` and the files it includes from disk. Diagnostics name files as the entry
 * names them (relative to the entry's folder); `shown` maps such a name back to the path as
 * typed on the command line, so `omniglass estate validate site/estate.yaml` points at
 * `site/rooms/a.yaml:3:5`.
 */
export function readEstateFiles(file: string): LoadedEstate & { shown: (name: string) => string } {
  const folder = path.dirname(file);
  const loaded = loadEstate(path.basename(file), (name) => {
    try {
      return readFileSync(path.join(folder, name), "utf8");
    } catch {
      return undefined;
    }
  });
  const shown = (name: string) => (folder === "." ? name : path.join(folder, name));
  return { ...loaded, shown };
}

/** `file:line:column  code  message at path (did you mean …)`; a warning says so. */
export function diagnosticLine(d: Diagnostic, shown: (name: string) => string = (n) => n): string {
  const where = d.line > 0 ? `${shown(d.file)}:${d.line}:${d.column}` : shown(d.file);
  const code = d.severity === "warning" ? `warning ${d.code}` : d.code;
  return `${where}  ${code}  ${d.message}${d.path ? ` at ${d.path}` : ""}${d.hint ? ` (${d.hint})` : ""}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function validateCommand(io: CliIo) {
  return withOutput(
    new Command("validate")
      .description(
        "Check estate files locally (no server, no state): every problem with file:line:column; exit 1 on any error",
      )
      .argument("<file>", "the entry file (estate.yaml); the files it includes are read too"),
  ).action((file: string, options: OutputOptions) => {
    const loaded = readEstateFiles(file);
    const diagnostics = loaded.diagnostics.map((d) => ({ ...d, file: loaded.shown(d.file) }));
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const answer = {
      ok: loaded.ok,
      files: loaded.files.map((f) => loaded.shown(f.path)),
      objects: Object.keys(loaded.model.objects).length,
      diagnostics,
    };
    emit(io, options, answer, () => {
      for (const d of diagnostics) io.out(diagnosticLine(d));
      const counts = `${plural(answer.files.length, "file")}, ${plural(answer.objects, "object")}`;
      const warnings = diagnostics.length - errors;
      if (loaded.ok)
        io.out(
          `${file}: valid (${counts}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""})`,
        );
      else
        io.err(
          `omniglass: ${file} is not valid: ${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""} (${counts} read)`,
        );
    });
    process.exitCode = loaded.ok ? 0 : 1;
  });
}

type PlanDetail = RouterOutputs["estate"]["getPlan"];
type Counts = RouterOutputs["estate"]["applyPlan"]["counts"];

/** `+3 ~1 ±0 -2` (create, update, replace, delete), the summary's own notation. */
const countsText = (c: Pick<Counts, "create" | "update" | "replace" | "delete">) =>
  `+${c.create} ~${c.update} ±${c.replace} -${c.delete}`;

/**
 * The files as the API takes them: the entry first (the server reads `estate.yaml`, else the
 * first file, as the entry), then every file it includes. Files with an error are refused here,
 * before anything is sent: the diagnostics are printed as `validate` prints them.
 */
function filesForServer(io: CliIo, file: string): { path: string; content: string }[] {
  const loaded = readEstateFiles(file);
  if (!loaded.ok)
    throw new InputError(
      `${file} is not valid (run \`omniglass estate validate ${file}\`)`,
      loaded.diagnostics.map((d) => diagnosticLine(d, loaded.shown)),
    );
  for (const d of loaded.diagnostics) io.err(diagnosticLine(d, loaded.shown));
  const entry = path.basename(file);
  return [
    ...loaded.files.filter((f) => f.path === entry),
    ...loaded.files.filter((f) => f.path !== entry),
  ].map((f) => ({ path: f.path, content: f.text }));
}

/** A stored plan for people: the server's summary, its approvals, its status and id. */
function printPlan(io: CliIo, plan: PlanDetail) {
  io.out(plan.summary.trimEnd());
  io.out("");
  const artifact = plan.plan as { diagnostics?: Diagnostic[] };
  for (const d of artifact.diagnostics ?? []) io.out(diagnosticLine(d));
  if (plan.approvalsRequired > 0)
    io.out(
      `approvals: ${plan.approvals.length > 0 ? plan.approvals.map((a) => `${a.approver} at ${a.at}`).join(", ") : "none yet"} (${plan.approvalsRequired} change(s) need one, by someone other than ${plan.planner})`,
    );
  io.out(
    `plan ${plan.id}  ${plan.status}  ${plan.changes === 0 ? "no changes" : `${plan.changes} change(s)`}`,
  );
}

function planCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("plan")
      .description(
        "Plan estate files against the server's state: the summary by location and the plan id (needs read)",
      )
      .argument("<file>", "the entry file (estate.yaml); the files it includes are sent too")
      .option("--out <file>", "also write the whole plan artifact (JSON) to this file")
      .option("--subtree <location>", "plan only what is placed in this location's subtree"),
  ).action(async (file: string, options: Connection & { out?: string; subtree?: string }) =>
    run(
      options,
      async (client) => {
        const files = filesForServer(io, file);
        const plan = await client.estate.plan.mutate({
          files,
          ...(options.subtree ? { subtree: options.subtree } : {}),
        });
        if (options.out) writeFileSync(options.out, `${JSON.stringify(plan.plan, null, 2)}\n`);
        if (!plan.ok) {
          // Valid files whose references the state does not have (a template, a user): stored
          // for reading, never applied.
          const artifact = plan.plan as { diagnostics?: Diagnostic[] };
          throw new InputError(
            `plan ${plan.id} has errors against the server's state: it cannot be applied`,
            (artifact.diagnostics ?? []).map((d) => diagnosticLine(d, (name) => name)),
          );
        }
        return plan;
      },
      (plan) => {
        printPlan(io, plan);
        if (options.out) io.out(`wrote ${options.out}`);
        if (plan.changes > 0) io.out(`apply it with: omniglass estate apply ${plan.id}`);
      },
    ),
  );
}

function plansCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("plans")
      .description("List estate plans, newest first (yours, or all with estate:read everywhere)")
      .option(
        "--status <status>",
        "only plans in this status (pending, approved, applied, stale, discarded)",
      )
      .option("--limit <n>", "at most this many", "20"),
  ).action(async (options: Connection & { status?: string; limit: string }) =>
    run(
      options,
      (client) =>
        client.estate.plans.query({
          page_size: Number(options.limit),
          ...(options.status ? { status: options.status as "pending" } : {}),
        }),
      (page) =>
        printTable(
          io,
          [
            { header: "PLAN", value: (p) => p.id },
            { header: "STATUS", value: (p) => p.status },
            { header: "PLANNER", value: (p) => p.planner },
            { header: "CREATED", value: (p) => p.createdAt },
            { header: "CHANGES", value: (p) => p.changes },
            {
              header: "APPROVALS",
              value: (p) => `${p.approvals.length}/${p.approvalsRequired > 0 ? 1 : 0}`,
            },
          ],
          page.items,
        ),
    ),
  );
}

function showCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("show")
      .description("Print a stored plan: its summary, approvals and status (--json: the artifact)")
      .argument("<plan-id>", "the plan id `estate plan` printed"),
  ).action(async (id: string, options: Connection) =>
    run(
      options,
      (client) => client.estate.getPlan.query({ id }),
      (plan) => printPlan(io, plan),
    ),
  );
}

function approveCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("approve")
      .description(
        "Record your approval of a plan (someone other than its planner; needs estate:update)",
      )
      .argument("<plan-id>", "the plan id")
      .option("--comment <text>", "why, for the record"),
  ).action(async (id: string, options: Connection & { comment?: string }) =>
    run(
      options,
      (client) =>
        client.estate.approve.mutate({
          id,
          ...(options.comment ? { comment: options.comment } : {}),
        }),
      (plan) =>
        io.out(
          `approved plan ${plan.id} (${plan.status}; approvals: ${plan.approvals.map((a) => a.approver).join(", ")})`,
        ),
    ),
  );
}

function applyCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("apply")
      .summary(
        "Apply a stored plan in one transaction, or refuse with the reasons (stale: what changed since; locked: holder and expiry; approval needed)",
      )
      .description(
        "Apply a stored plan in one transaction, or refuse with the reasons (stale: what changed since; locked: holder and expiry; approval needed). Secrets: the plan's `${env:NAME}` references are read from this CLI's environment and sent only in the apply request (never stored in the plan; a missing NAME refuses before anything is sent); a webhook endpoint's generated signing secret is printed once, here — store it then",
      )
      .argument("<plan-id>", "the plan id `estate plan` printed"),
  ).action(async (id: string, options: Connection) =>
    run(
      options,
      async (client) => {
        // The plan's `${env:NAME}` secret references, resolved here from this environment and
        // sent only in the apply request (never stored in the plan; decision 0013).
        const detail = await client.estate.getPlan.query({ id });
        const names = secretEnvNames(detail.plan);
        const secrets: Record<string, string> = {};
        const missing: string[] = [];
        for (const name of names) {
          const value = estateSecretFromEnv(name);
          if (value === undefined) missing.push(name);
          else secrets[name] = value;
        }
        if (missing.length > 0)
          throw new InputError(
            `The plan sets secrets from the environment: set ${missing.join(", ")} before applying (the value is sent in the apply request only).`,
          );
        return client.estate.applyPlan.mutate(names.length > 0 ? { id, secrets } : { id });
      },
      (applied) => {
        io.out(
          `applied plan ${applied.planId}: ${countsText(applied.counts)}, adopted ${applied.counts.adopt}, released ${applied.counts.release} in ${applied.durationMs} ms; revision ${applied.revisionAfter}; apply ${applied.applyId}`,
        );
        for (const { address, secret } of applied.generatedSecrets ?? []) {
          io.err(
            `warning: ${address} was created with a generated signing secret, shown this once — store it now (its receiver verifies with it); rotate it to replace it:`,
          );
          io.out(`${address} secret ${secret}`);
        }
      },
    ),
  );
}

/** The `${env:NAME}` names a plan's creates and changed secrets need (fields `secret`, `secret.env`). */
export function secretEnvNames(plan: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const changes = (plan.changes ?? []) as {
    operation: string;
    fields: { path: string; after: unknown }[];
  }[];
  for (const change of changes) {
    if (change.operation === "delete") continue;
    for (const field of change.fields) {
      const after = field.after as { env?: unknown } | string | null;
      if (
        field.path === "secret" &&
        after &&
        typeof after === "object" &&
        typeof after.env === "string"
      )
        names.add(after.env);
      else if (field.path === "secret.env" && typeof after === "string") names.add(after);
    }
  }
  return [...names].sort();
}

function statusCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("status").description(
      "The estate's revision, lock, last apply, managed objects and pending plans",
    ),
  ).action(async (options: Connection) =>
    run(
      options,
      (client) => client.estate.status.query({}),
      (s) => {
        io.out(`revision      ${s.revision}`);
        io.out(
          `lock          ${s.lock ? `held by ${s.lock.holder} (${s.lock.purpose}) since ${s.lock.acquiredAt}, expires ${s.lock.expiresAt}, id ${s.lock.lockId}` : "free"}`,
        );
        io.out(
          `last apply    ${s.lastApply ? `${s.lastApply.applyId} of plan ${s.lastApply.planId} by ${s.lastApply.by} at ${s.lastApply.at}: ${countsText(s.lastApply.counts)}` : "none"}`,
        );
        const managed = Object.entries(s.managed);
        io.out(
          `managed       ${managed.length > 0 ? managed.map(([kind, n]) => `${n} ${kind}`).join(", ") : "nothing yet"}`,
        );
        io.out(`pending plans ${s.pendingPlans}`);
      },
    ),
  );
}

function refreshCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("refresh")
      .description("Drift: managed objects changed or deleted outside the files, field by field")
      .option(
        "--patch <file>",
        "write the drifted objects as they are now, as estate YAML to merge into your files",
      ),
  ).action(async (options: Connection & { patch?: string }) =>
    run(
      options,
      async (client) => {
        const drift = await client.estate.drift.query({});
        if (options.patch && drift.patch.length > 0)
          writeFileSync(options.patch, drift.patch.map((f) => f.content).join("\n"));
        return drift;
      },
      (drift) => {
        for (const item of drift.drifted) {
          if (item.status === "deleted") {
            io.out(`- ${item.address}  deleted outside the files`);
            continue;
          }
          io.out(`~ ${item.address}`);
          for (const f of item.fields)
            io.out(`    ${f.path}: ${JSON.stringify(f.applied)} → ${JSON.stringify(f.now)}`);
        }
        io.out(
          drift.drifted.length === 0
            ? `no drift: ${drift.managed} managed object(s) as the last apply wrote them (revision ${drift.revision})`
            : `${drift.drifted.length} of ${drift.managed} managed object(s) drifted (revision ${drift.revision})`,
        );
        if (options.patch)
          io.out(
            drift.patch.length > 0
              ? `wrote ${options.patch}`
              : `nothing to write to ${options.patch}`,
          );
      },
    ),
  );
}

function importCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("import")
      .description(
        "Write today's state (or a location's subtree) as estate YAML on standard output: import, then plan, shows no changes",
      )
      .option(
        "--subtree <location>",
        "only this location's subtree (what it refers to outside: existing: true)",
      ),
  ).action(async (options: Connection & { subtree?: string }) =>
    run(
      options,
      (client: OmniglassClient) =>
        client.estate.export.query(options.subtree ? { subtree: options.subtree } : {}),
      (exported) => {
        for (const f of exported.files) io.out(f.content.trimEnd());
      },
    ),
  );
}

function unlockCommand(io: CliIo) {
  const run = createRunner(io);
  return withConnection(
    new Command("unlock")
      .description(
        "Break the estate lock by its id (as a refusal or `estate status` names it; audited; needs estate:update)",
      )
      .argument("<lock-id>", "the lock id"),
  ).action(async (lockId: string, options: Connection) =>
    run(
      options,
      (client) => client.estate.forceUnlock.mutate({ lockId }),
      (r) =>
        io.out(
          `released lock ${r.released.lockId} held by ${r.released.holder} (${r.released.purpose}) since ${r.released.acquiredAt}`,
        ),
    ),
  );
}
