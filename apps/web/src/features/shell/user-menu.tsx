"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "~/client/trpc";

/** Who is signed in, and the way out. A 401 (session ended elsewhere) sends the browser to sign-in. */
export function UserMenu() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), retry: false, refetchInterval: 60_000 });
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({ onSettled: () => router.replace("/sign-in") }),
  );
  if (me.error?.data?.httpStatus === 401) {
    router.replace("/sign-in");
    return null;
  }
  return (
    <div className="flex flex-col gap-1 text-sm">
      <span className="text-zinc-600 dark:text-zinc-400">Signed in as</span>
      <span className="font-medium" data-testid="signed-in-as">
        {me.data?.principal.name ?? "…"}
      </span>
      <button
        type="button"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
        className="self-start rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-200 dark:border-zinc-700 dark:hover:bg-zinc-800"
      >
        Sign out
      </button>
    </div>
  );
}
