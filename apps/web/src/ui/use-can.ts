"use client";

import { useQuery } from "@tanstack/react-query";
import { permissionMatches } from "@omniglass/domain";
import { useTRPC } from "~/client/trpc";

/**
 * Whether the signed-in principal holds a capability in any of its grants: the console offers a
 * control only then (the API still checks the scope of each call and answers 403 or 404).
 * Undefined while `auth.me` is loading, so a page can render nothing rather than flash a button.
 */
export function useCan(): (capability: string) => boolean | undefined {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false });
  const permissions = me.data?.permissions;
  return (capability) =>
    permissions ? permissions.some((p) => permissionMatches(p, capability)) : undefined;
}
