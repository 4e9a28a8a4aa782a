import { getLocation as getLocationInGateway } from "@omniglass/gateway";
import { capability } from "../../trpc";
import { GetLocationInput, GetLocationOutput, getLocationMeta } from "./get-location.types";

export const getLocation = capability("location:read")
  .meta(getLocationMeta)
  .input(GetLocationInput)
  .output(GetLocationOutput)
  .query(({ ctx, input }) => getLocationInGateway({ ...ctx.gw, ref: input.ref }));
