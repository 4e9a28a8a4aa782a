import { z } from "zod";
import { Me } from "@omniglass/contracts";
import type { Meta } from "../../trpc";

export const getMeMeta: Meta = {
  openapi: {
    method: "GET",
    path: "/auth/me",
    tags: ["auth"],
    summary: "Who am I",
    description:
      "The calling principal, every permission it holds somewhere, and its grants with their scopes.",
  },
};
export const GetMeInput = z.void();
export const GetMeOutput = Me;
