import { z } from "zod";
import { Location, Ref } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const getLocationMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/locations/{ref}",
    tags: ["locations"],
    summary: "Get a location by id, name or path",
  },
};
export const GetLocationInput = z.object({ ref: Ref });
export const GetLocationOutput = Location;
