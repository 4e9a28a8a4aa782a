import { platformRouter } from "./routers/platform/router";
import { workerRouter } from "./routers/worker/router";
import { router } from "./trpc";

export const appRouter = router({
  platform: platformRouter,
  worker: workerRouter,
});

export type AppRouter = typeof appRouter;
