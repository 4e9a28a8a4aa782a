"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/client/trpc";
import { mutedClass } from "./controls";
import { TextLink } from "./links";
import { Time } from "./time";
import { useCan } from "./use-can";

/**
 * "Managed by estate file" on an object the files manage (issue #15): the apply that last wrote
 * it, linked to its plan. An edit here is allowed; it shows as drift (`omniglass estate refresh`)
 * and the next plan says so. Nothing when the object is not managed or estate:read is not held.
 */
export function ManagedBy({ address }: { address: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const managed = useQuery({
    ...trpc.estate.managed.queryOptions({ address }),
    enabled: can("estate:read") === true,
    retry: false,
  });
  const by = managed.data?.managedBy;
  if (!by) return null;
  return (
    <p data-testid="managed-by" className={`-mt-4 text-sm ${mutedClass}`}>
      Managed by estate file: written by the apply of{" "}
      <TextLink href={`/estate-plans/${encodeURIComponent(by.planId)}`}>
        plan {by.planId.slice(0, 12)}
      </TextLink>{" "}
      <Time value={by.at} />. An edit here shows as drift.
    </p>
  );
}
