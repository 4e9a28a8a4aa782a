import { actionRuleRouter } from "./routers/action-rule/router";
import { alarmRouter } from "./routers/alarm/router";
import { assessmentRouter } from "./routers/assessment/router";
import { commandRouter } from "./routers/command/router";
import { deliveryRouter } from "./routers/delivery/router";
import { estateRouter } from "./routers/estate/router";
import { auditRouter } from "./routers/audit/router";
import { authRouter } from "./routers/auth/router";
import { componentRouter } from "./routers/component/router";
import { locationTypeRouter } from "./routers/location-type/router";
import { locationRouter } from "./routers/location/router";
import { maintenanceWindowRouter } from "./routers/maintenance-window/router";
import { nodeRouter } from "./routers/node/router";
import { platformRouter } from "./routers/platform/router";
import { principalRouter } from "./routers/principal/router";
import { roleRouter } from "./routers/role/router";
import { ruleRouter } from "./routers/rule/router";
import { sampleRouter } from "./routers/sample/router";
import { signalRouter } from "./routers/signal/router";
import { silenceRouter } from "./routers/silence/router";
import { systemRouter } from "./routers/system/router";
import { tagRouter } from "./routers/tag/router";
import { templateRouter } from "./routers/template/router";
import { variableRouter } from "./routers/variable/router";
import { webhookEndpointRouter } from "./routers/webhook-endpoint/router";
import { workerRouter } from "./routers/worker/router";
import { operationsRouter } from "./routers/operations/router";
import { router, type Meta } from "./trpc";

export const appRouter = router({
  platform: platformRouter,
  auth: authRouter,
  location: locationRouter,
  locationType: locationTypeRouter,
  principal: principalRouter,
  role: roleRouter,
  system: systemRouter,
  component: componentRouter,
  template: templateRouter,
  signal: signalRouter,
  node: nodeRouter,
  tag: tagRouter,
  variable: variableRouter,
  audit: auditRouter,
  worker: workerRouter,
  operations: operationsRouter,
  sample: sampleRouter,
  rule: ruleRouter,
  alarm: alarmRouter,
  maintenanceWindow: maintenanceWindowRouter,
  silence: silenceRouter,
  webhookEndpoint: webhookEndpointRouter,
  actionRule: actionRuleRouter,
  delivery: deliveryRouter,
  estate: estateRouter,
  assessment: assessmentRouter,
  command: commandRouter,
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
