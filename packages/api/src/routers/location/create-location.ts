import { createLocation as createLocationInGateway } from "@omniglass/gateway";
import { capability } from "../../trpc";
import {
  CreateLocationInput,
  CreateLocationOutput,
  createLocationMeta,
} from "./create-location.types";

export const createLocation = capability("location:create")
  .meta(createLocationMeta)
  .input(CreateLocationInput)
  .output(CreateLocationOutput)
  .mutation(({ ctx, input }) => createLocationInGateway({ ...ctx.gw, input }));
