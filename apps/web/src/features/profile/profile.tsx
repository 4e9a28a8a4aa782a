"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "~/client/trpc";
import { Button, cellClass, ErrorText, mutedClass, PageHeader, Table } from "~/ui/controls";
import { scopeText } from "~/ui/format";
import { Time } from "~/ui/time";
import { TokenSection } from "~/ui/tokens";

/** Who you are, what you may do and where, your sessions and your tokens (never their secrets). */
export function Profile() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const id = me.data?.principal.id;
  const detail = useQuery({
    ...trpc.principal.get.queryOptions({ id: id ?? "" }),
    enabled: Boolean(id),
    retry: false,
  });
  const sessions = useQuery(trpc.auth.listSessions.queryOptions());
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.auth.listSessions.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.principal.get.queryKey() });
  };
  const revokeSession = useMutation(
    trpc.auth.revokeSession.mutationOptions({ onSuccess: refresh }),
  );
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <PageHeader title="Profile" />
      <ErrorText error={me.error} />
      {me.data ? (
        <section className="flex flex-col gap-2" aria-labelledby="who">
          <h2 id="who" className="text-lg font-medium">
            {me.data.principal.name}{" "}
            <span className={`text-sm ${mutedClass}`}>({me.data.principal.kind})</span>
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Permissions:{" "}
            <span className="font-mono text-xs">{me.data.permissions.join(" · ") || "none"}</span>
          </p>
          <Table head={["Role", "Scope"]}>
            {me.data.grants.map((g) => (
              <tr key={g.grantId}>
                <td className={cellClass}>{g.role}</td>
                <td className={cellClass}>{scopeText(g.scope)}</td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
      <section className="flex flex-col gap-2" aria-labelledby="sessions">
        <h2 id="sessions" className="text-lg font-medium">
          Sessions
        </h2>
        <ErrorText error={sessions.error ?? revokeSession.error} />
        <Table head={["Signed in", "Last seen", "From", { label: "Actions", hidden: true }]}>
          {sessions.data?.items.map((s) => (
            <tr key={s.id} data-testid="own-session">
              <td className={cellClass}>
                <Time value={s.createdAt} />
              </td>
              <td className={cellClass}>
                <Time value={s.lastSeenAt} />
              </td>
              <td className={cellClass}>
                {s.ip ?? "unknown address"}
                <div className={`max-w-xs truncate text-xs ${mutedClass}`}>{s.userAgent}</div>
              </td>
              <td className={cellClass}>
                {s.current ? (
                  <span className={`text-xs ${mutedClass}`}>this session</span>
                ) : (
                  <Button variant="danger" onClick={() => revokeSession.mutate({ id: s.id })}>
                    End
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </section>
      <TokenSection
        tokens={detail.data?.tokens}
        issue={(name) => client.auth.createOwnToken.mutate({ name })}
        revoke={(tokenId) => client.auth.revokeOwnToken.mutate({ tokenId })}
        onChanged={refresh}
        rowTestId="own-token"
        unreadable={
          detail.error ? (
            <p className={`text-sm ${mutedClass}`}>
              Your tokens are not readable with your permissions.
            </p>
          ) : undefined
        }
      />
    </div>
  );
}
