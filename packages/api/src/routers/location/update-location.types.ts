import { Location, UpdateLocationInput as Input } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const updateLocationMeta: Meta = {
  openapi: {
    method: "PATCH",
    path: "/locations/{ref}",
    tags: ["locations"],
    summary: "Change a location's label or type",
    description:
      "Send `version` (as last read) to be refused with 409 if someone changed it since.",
  },
};
export const UpdateLocationInput = Input;
export const UpdateLocationOutput = Location;
