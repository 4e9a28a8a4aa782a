import { z } from "zod";
import {
  EstateDrift,
  EstateExport,
  EstateExportInput,
  EstateLockState,
  EstateManagedBy,
  EstateManagedInput,
  EstateSchemaOutput,
  EstateStatus,
  ForceUnlockInput,
  EstateLockInfo,
} from "@omniglass/contracts";
import {
  exportEstateFiles,
  forceUnlockEstate,
  readEstateDrift,
  readEstateLock,
  readEstateSchema,
  readEstateStatus,
  readManagedBy,
} from "@omniglass/gateway";
import { capability } from "../../trpc";

const tags = ["estate"];

export const estateStatus = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/status",
      tags,
      summary: "Estate status",
      description: "The state revision, the lock, the last apply, managed objects by kind.",
    },
  })
  .input(z.object({}))
  .output(EstateStatus)
  .query(({ ctx }) => readEstateStatus(ctx.gw));

export const estateDrift = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/drift",
      tags,
      summary: "Refresh: drift of managed objects",
      description:
        "Per managed object in your read scope, the fields changed outside the files since the last apply (or that it is gone), and those objects as estate files (a patch).",
    },
  })
  .input(z.object({}))
  .output(EstateDrift)
  .query(({ ctx }) => readEstateDrift(ctx.gw));

export const estateExport = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/export",
      tags,
      summary: "Import: estate files from today's state",
      description:
        "Your read scope, or a location's subtree of it; planning the result shows no changes.",
    },
  })
  .input(EstateExportInput)
  .output(EstateExport)
  .query(({ ctx, input }) =>
    exportEstateFiles({ ...ctx.gw, ...(input.subtree ? { subtree: input.subtree } : {}) }),
  );

export const estateManaged = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/managed",
      tags,
      summary: "Whether an object is managed by the files",
      description: "404 outside your read scope, as the object's own GET.",
    },
  })
  .input(EstateManagedInput)
  .output(EstateManagedBy)
  .query(({ ctx, input }) => readManagedBy({ ...ctx.gw, address: input.address }));

export const estateLock = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/lock",
      tags,
      summary: "The apply lock",
      description: "Held: holder, purpose, acquired, expiry and lock id; null when free.",
    },
  })
  .input(z.object({}))
  .output(EstateLockState)
  .query(async ({ ctx }) => ({ lock: await readEstateLock(ctx.gw.db) }));

export const forceUnlock = capability("estate:update")
  .meta({
    openapi: {
      method: "POST",
      path: "/estate/lock/force-unlock",
      tags,
      summary: "Force-unlock the apply lock",
      description:
        "By lock id (409 if the lock changed hands), estate:update on scope all; audited. The apply holding it, if alive, still commits or rolls back as one transaction.",
    },
  })
  .input(ForceUnlockInput)
  .output(z.object({ lock: z.null(), released: EstateLockInfo }))
  .mutation(({ ctx, input }) => forceUnlockEstate({ ...ctx.gw, lockId: input.lockId }));

export const estateSchema = capability("estate:read")
  .meta({
    openapi: {
      method: "GET",
      path: "/estate/schema",
      tags,
      summary: "The estate file JSON Schema",
      description: "docs/reference/estate.schema.json, from the code.",
    },
  })
  .input(z.object({}))
  .output(EstateSchemaOutput)
  .query(() => readEstateSchema());
