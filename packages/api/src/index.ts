export { appRouter, listProcedures, type AppRouter, type ProcedureInfo } from "./root";
export {
  createApiDependencies,
  createContext,
  CSRF_COOKIE,
  CSRF_HEADER,
  SESSION_COOKIE,
  type ApiDependencies,
  type Context,
} from "./context";
export { createDependencyMonitor, type DependencyMonitor } from "./dependency-monitor";
export { createApiMetrics, type ApiMetrics } from "./metrics";
export { checkHealth, supervisorFromFile } from "./health";
export { toProblem, toPublicError, type PublicError } from "./errors";
export { handleRestRequest, problemResponse, REST_BASE_PATH } from "./rest";
export { buildOpenApiDocument } from "./openapi";
export {
  ASSESSMENT_PATH,
  handleAssessmentRequest,
  MARKDOWN,
} from "./routers/assessment/rest-markdown";
export { createCallerFactory } from "./trpc";
