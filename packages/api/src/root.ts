import { auditRouter } from "./routers/audit/router";
import { authRouter } from "./routers/auth/router";
import { locationTypeRouter } from "./routers/location-type/router";
import { locationRouter } from "./routers/location/router";
import { platformRouter } from "./routers/platform/router";
import { principalRouter } from "./routers/principal/router";
import { roleRouter } from "./routers/role/router";
import { systemRouter } from "./routers/system/router";
import { workerRouter } from "./routers/worker/router";
import { router, type Meta } from "./trpc";

export const appRouter = router({
  platform: platformRouter,
  auth: authRouter,
  location: locationRouter,
  locationType: locationTypeRouter,
  principal: principalRouter,
  role: roleRouter,
  system: systemRouter,
  audit: auditRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;

export interface ProcedureInfo {
  path: string;
  type: "query" | "mutation" | "subscription";
  meta: Meta;
}

/** Every procedure of the app router with its meta: the OpenAPI post-processing and the guard tests walk this. */
export function listProcedures(): ProcedureInfo[] {
  const flat = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: ProcedureInfo["type"]; meta?: Meta } }
  >;
  return Object.entries(flat).map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    meta: procedure._def.meta ?? {},
  }));
}
