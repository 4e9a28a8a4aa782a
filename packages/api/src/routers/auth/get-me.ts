import { permissionsOf } from "@omniglass/domain";
import { authedProcedure } from "../../trpc";
import { GetMeInput, GetMeOutput, getMeMeta } from "./get-me.types";

/** Any authenticated principal may read itself: `auth:me` is held by definition, not granted. */
export const getMe = authedProcedure
  .meta({ ...getMeMeta, capability: "auth:me" })
  .input(GetMeInput)
  .output(GetMeOutput)
  .query(({ ctx }) => ({
    principal: { id: ctx.actor.id, kind: ctx.actor.kind, name: ctx.actor.name },
    permissions: permissionsOf(ctx.actor),
    grants: ctx.actor.grants.map((g) => ({ grantId: g.grantId, role: g.roleName, scope: g.scope })),
  }));
