import { z } from "zod";
import { ListInput } from "./common";

/*
 * Estate as code over the API (issue #15, DESIGN.md §10): validate files, plans as resources,
 * approvals, apply, status, drift, export, the lock. The plan artifact itself is the
 * `@omniglass/estate` plan (format 1, documented there); it travels as JSON.
 */

export const EstateFileInput = z
  .object({
    path: z
      .string()
      .min(1)
      .max(500)
      .regex(/^[^\0]+$/, "no NUL bytes")
      .describe("The file's path as the entry's `include:` names it (e.g. `estate.yaml`)."),
    content: z.string().max(4_000_000).describe("The file's text (YAML)."),
  })
  .meta({ id: "EstateFileInput" });
export type EstateFileInput = z.infer<typeof EstateFileInput>;

export const EstateFilesInput = z.object({
  files: z
    .array(EstateFileInput)
    .min(1)
    .max(500)
    .describe("Every file of the estate; the entry is `estate.yaml` (else the first)."),
});
export type EstateFilesInput = z.infer<typeof EstateFilesInput>;

export const EstateDiagnostic = z
  .object({
    file: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    code: z.string(),
    severity: z.enum(["error", "warning"]),
    path: z.string(),
    message: z.string(),
    hint: z.string().optional(),
  })
  .meta({ id: "EstateDiagnostic" });

export const EstateValidation = z
  .object({
    ok: z.boolean(),
    desiredDigest: z.string(),
    objects: z.number().int().describe("Objects the files declare."),
    diagnostics: z.array(EstateDiagnostic),
  })
  .meta({ id: "EstateValidation" });
export type EstateValidation = z.infer<typeof EstateValidation>;

export const EstatePlanStatus = z.enum(["pending", "approved", "applied", "stale", "discarded"]);

/** The plan artifact of @omniglass/estate (format 1): changes, blast radius, approvals. */
const PlanArtifact = z
  .record(z.string(), z.unknown())
  .describe("The plan artifact (format 1 of @omniglass/estate): planId, changes, summary, …");

export const EstatePlanApproval = z.object({
  approver: z.string(),
  at: z.string(),
  comment: z.string().nullable(),
});

export const EstatePlanResource = z
  .object({
    id: z.string().describe("The plan id (a hash of the digest, the base and the changes)."),
    status: EstatePlanStatus,
    planner: z.string(),
    createdAt: z.string(),
    desiredDigest: z.string(),
    baseRevision: z.string(),
    subtree: z.string().nullable(),
    ok: z.boolean().describe("False when the files have errors: such a plan is never applied."),
    changes: z.number().int(),
    approvalsRequired: z.number().int(),
    approvals: z.array(EstatePlanApproval),
    summary: z.string().describe("The human summary, grouped by location."),
  })
  .meta({ id: "EstatePlan" });
export type EstatePlanResource = z.infer<typeof EstatePlanResource>;

export const EstatePlanDetail = EstatePlanResource.extend({ plan: PlanArtifact }).meta({
  id: "EstatePlanDetail",
});
export type EstatePlanDetail = z.infer<typeof EstatePlanDetail>;

export const CreateEstatePlanInput = EstateFilesInput.extend({
  subtree: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe("A location path: plan only what is placed in its subtree."),
});
export type CreateEstatePlanInput = z.infer<typeof CreateEstatePlanInput>;

export const ListEstatePlansInput = ListInput.extend({
  status: EstatePlanStatus.optional().describe("Only plans in this status."),
});
export type ListEstatePlansInput = z.infer<typeof ListEstatePlansInput>;

export const EstatePlanRef = z.object({ id: z.string().min(1).max(200) });

export const ApplyEstatePlanInput = EstatePlanRef.extend({
  secrets: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .max(200),
      z.string().min(1).max(4096),
    )
    .optional()
    .describe(
      "Values of the plan's `${env:NAME}` secret references, by NAME, from the environment of whoever applies (the CLI fills them): used by this apply only, never stored, logged or audited.",
    ),
});
export type ApplyEstatePlanInput = z.infer<typeof ApplyEstatePlanInput>;

export const ApproveEstatePlanInput = EstatePlanRef.extend({
  comment: z.string().max(2000).optional(),
});
export type ApproveEstatePlanInput = z.infer<typeof ApproveEstatePlanInput>;

export const EstateCounts = z.object({
  create: z.number().int(),
  update: z.number().int(),
  replace: z.number().int(),
  delete: z.number().int(),
  adopt: z.number().int(),
  release: z.number().int(),
});

export const EstateApplyResult = z
  .object({
    applyId: z.string(),
    planId: z.string(),
    by: z.string(),
    at: z.string(),
    revisionAfter: z.string(),
    counts: EstateCounts,
    durationMs: z.number().int(),
    generatedSecrets: z
      .array(z.object({ address: z.string(), secret: z.string() }))
      .optional()
      .describe(
        "The signing secrets generated for webhook endpoints this apply created without a secret reference: shown this once, never again (rotate to replace one).",
      ),
  })
  .meta({ id: "EstateApply" });
export type EstateApplyResult = z.infer<typeof EstateApplyResult>;

export const EstateLockInfo = z
  .object({
    lockId: z.string(),
    holder: z.string(),
    purpose: z.string(),
    acquiredAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: "EstateLock" });
export type EstateLockInfo = z.infer<typeof EstateLockInfo>;

export const EstateLockState = z.object({ lock: EstateLockInfo.nullable() });

export const ForceUnlockInput = z.object({
  lockId: z.uuid().describe("The lock id the lock answer names (refused if it changed)."),
});

export const EstateStatus = z
  .object({
    revision: z.string().describe("The state revision (the change log's last)."),
    lock: EstateLockInfo.nullable(),
    lastApply: EstateApplyResult.nullable(),
    managed: z.record(z.string(), z.number().int()).describe("Managed objects by kind."),
    pendingPlans: z.number().int(),
  })
  .meta({ id: "EstateStatus" });
export type EstateStatus = z.infer<typeof EstateStatus>;

export const EstateDriftField = z.object({
  path: z.string(),
  applied: z.unknown().describe("The value the last apply wrote (null: absent)."),
  now: z.unknown().describe("The value in the state (null: absent)."),
});

export const EstateDriftItem = z.object({
  address: z.string(),
  kind: z.string(),
  status: z.enum(["changed", "deleted"]),
  fields: z.array(EstateDriftField),
});

export const EstateDrift = z
  .object({
    revision: z.string(),
    drifted: z.array(EstateDriftItem),
    managed: z.number().int(),
    patch: z
      .array(z.object({ path: z.string(), content: z.string() }))
      .describe("The drifted objects as they are now, as estate files (merge into yours)."),
  })
  .meta({ id: "EstateDrift" });
export type EstateDrift = z.infer<typeof EstateDrift>;

export const EstateExportInput = z.object({
  subtree: z.string().min(1).max(1000).optional().describe("A location path."),
});

export const EstateExport = z.object({
  revision: z.string(),
  files: z.array(z.object({ path: z.string(), content: z.string() })),
});

export const EstateManagedInput = z.object({
  address: z.string().min(1).max(1000).describe("A typed address, e.g. `component.hq.room-1.tv`."),
});

export const EstateManagedBy = z
  .object({
    address: z.string(),
    managedBy: z
      .object({ applyId: z.string(), planId: z.string(), at: z.string() })
      .nullable()
      .describe("The apply that last wrote it from the files; null: not managed by files."),
  })
  .meta({ id: "EstateManagedBy" });

export const EstateSchemaOutput = z.record(z.string(), z.unknown());
