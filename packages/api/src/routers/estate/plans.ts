import {
  ApplyEstatePlanInput,
  ApproveEstatePlanInput,
  CreateEstatePlanInput,
  EstateApplyResult,
  EstateFilesInput,
  EstatePlanDetail,
  EstatePlanRef,
  EstatePlanResource,
  EstateValidation,
  ListEstatePlansInput,
  listOf,
} from "@omniglass/contracts";
import {
  applyEstatePlan,
  approveEstatePlan,
  createEstatePlan,
  findEstatePlans,
  getEstatePlan,
  validateEstate,
} from "@omniglass/gateway";
import { capability } from "../../trpc";

const tags = ["estate"];

export const validateEstateFiles = capability("estate:read")
  .meta({
    openapi: {
      method: "POST",
      path: "/estate/validate",
      tags,
      summary: "Validate estate files",
      description:
        "The files alone (no state is read): every diagnostic with file, line, column and a did-you-mean.",
    },
  })
  .input(EstateFilesInput)
  .output(EstateValidation)
  .mutation(({ input }) => validateEstate(input.files));

export const createPlan = capability("estate:read")
  .meta({
    openapi: {
      method: "POST",
      path: "/estate/plans",
      tags,
      summary: "Plan estate files against the state",
      description:
        "Validates, reads the state in your read scope and stores the plan (the same files at the same revision give the same plan id). Planning needs only read.",
    },
  })
  .input(CreateEstatePlanInput)
  .output(EstatePlanDetail)
  .mutation(({ ctx, input }) => createEstatePlan({ ...ctx.gw, input }));

export const listPlans = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/plans",
      tags,
      summary: "List plans",
      description:
        "Newest first: your own plans, or every plan with estate:read on scope all. A pending plan whose base is no longer the state shows as stale.",
    },
  })
  .input(ListEstatePlansInput)
  .output(listOf(EstatePlanResource))
  .query(({ ctx, input }) => findEstatePlans({ ...ctx.gw, input }));

export const getPlan = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/plans/{id}",
      tags,
      summary: "Get a plan with its artifact",
    },
  })
  .input(EstatePlanRef)
  .output(EstatePlanDetail)
  .query(({ ctx, input }) => getEstatePlan({ ...ctx.gw, id: input.id }));

export const approvePlan = capability("estate:update")
  .meta({
    openapi: {
      method: "POST",
      path: "/estate/plans/{id}/approve",
      tags,
      summary: "Approve a plan",
      description:
        "estate:update on scope all, by someone other than the planner (403 for the planner); 409 when the plan is stale or applied.",
    },
  })
  .input(ApproveEstatePlanInput)
  .output(EstatePlanDetail)
  .mutation(({ ctx, input }) =>
    approveEstatePlan({
      ...ctx.gw,
      id: input.id,
      ...(input.comment ? { comment: input.comment } : {}),
    }),
  );

export const applyPlan = capability("estate:read")
  .meta({
    openapi: {
      method: "POST",
      path: "/estate/plans/{id}/apply",
      tags,
      summary: "Apply a plan",
      description:
        "Only a fresh plan (409 stale-plan listing every change since its base: table, object, operation, time, who). Every change needs the capability the same change needs through the API, in that object's scope — checked before anything is written (403). Irreversible changes need an approval (409 until then). Under the lease lock (409 naming holder, purpose and expiry), in one transaction. `secrets` carries the values of the plan's `${env:NAME}` references (400 naming any missing); `generatedSecrets` answers, this once, the signing secret of each webhook endpoint created without one.",
    },
  })
  .input(ApplyEstatePlanInput)
  .output(EstateApplyResult)
  .mutation(({ ctx, input }) =>
    applyEstatePlan({
      ...ctx.gw,
      id: input.id,
      ...(input.secrets ? { secrets: input.secrets } : {}),
      secretKey: ctx.deps.secretKey,
      allowLoopback: ctx.deps.webhookAllowLoopback ?? false,
    }),
  );
