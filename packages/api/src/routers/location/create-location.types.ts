import { CreateLocationInput as Input, Location } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const createLocationMeta: Meta = {
  openapi: {
    method: "POST",
    path: "/locations",
    tags: ["locations"],
    summary: "Create a location",
    description:
      "Under `parent` (a reference), or at the top level. 409 when the name is taken among its siblings.",
    successDescription: "The created location",
  },
};
export const CreateLocationInput = Input;
export const CreateLocationOutput = Location;
