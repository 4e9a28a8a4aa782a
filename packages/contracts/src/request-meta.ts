import { z } from "zod";

export const RequestSource = z.enum(["console", "rest", "cli", "worker"]);
export type RequestSource = z.infer<typeof RequestSource>;

/**
 * Who asks, through what, under which request id. Built once at the edge of a request
 * (procedure context, worker lane) and passed down into the gateway as one object.
 * `actor` is null until a principal is authenticated.
 */
export interface RequestMeta {
  requestId: string;
  source: RequestSource;
  actor: { id: string; kind: "human" | "service" | "node" } | null;
  realActor: { id: string; kind: "human" | "service" | "node" } | null;
  ip: string | null;
}
