import { checkHealth } from "../../health";
import { publicProcedure } from "../../trpc";
import { GetHealthInput, GetHealthOutput, getHealthMeta } from "./get-health.types";

export const getHealth = publicProcedure
  .meta(getHealthMeta)
  .input(GetHealthInput)
  .output(GetHealthOutput)
  .query(({ ctx }) => checkHealth(ctx.deps));
