"use client";

import { useQuery } from "@tanstack/react-query";
import { Instant, useNow } from "./time";
import { useTRPC } from "./trpc";
import { cellClass, ErrorText, PageHeader, Table } from "./ui";

/** Who you are, what you may do and where, and your tokens (never their secrets). */
export function Profile() {
  const trpc = useTRPC();
  const now = useNow(10_000);
  const me = useQuery(trpc.auth.me.queryOptions());
  const id = me.data?.principal.id;
  const detail = useQuery({
    ...trpc.principal.get.queryOptions({ id: id ?? "" }),
    enabled: Boolean(id),
    retry: false,
  });
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-6">
      <PageHeader title="Profile" />
      <ErrorText error={me.error} />
      {me.data ? (
        <section className="flex flex-col gap-2" aria-labelledby="who">
          <h2 id="who" className="text-lg font-medium">
            {me.data.principal.name}{" "}
            <span className="text-sm text-zinc-500">({me.data.principal.kind})</span>
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            Permissions:{" "}
            <span className="font-mono text-xs">{me.data.permissions.join(" · ") || "none"}</span>
          </p>
          <Table head={["Role", "Scope"]}>
            {me.data.grants.map((g) => (
              <tr key={g.grantId}>
                <td className={cellClass}>{g.role}</td>
                <td className={cellClass}>
                  {g.scope.kind === "all" ? "everything" : `${g.scope.path} (${g.scope.operator})`}
                </td>
              </tr>
            ))}
          </Table>
        </section>
      ) : null}
      <section className="flex flex-col gap-2" aria-labelledby="tokens">
        <h2 id="tokens" className="text-lg font-medium">
          API tokens
        </h2>
        {detail.error ? (
          <p className="text-sm text-zinc-500">
            Your tokens are not readable with your permissions.
          </p>
        ) : (
          <Table head={["Name", "Token", "Created", "Last used", "State"]}>
            {detail.data?.tokens.map((t) => (
              <tr key={t.id} data-testid="own-token">
                <td className={cellClass}>{t.name}</td>
                <td className={`${cellClass} font-mono text-xs`}>{t.prefix}…</td>
                <td className={cellClass}>
                  <Instant value={t.createdAt} now={now} />
                </td>
                <td className={cellClass}>
                  <Instant value={t.lastUsedAt} now={now} />
                </td>
                <td className={cellClass}>
                  {t.revokedAt
                    ? "revoked"
                    : t.expiresAt && new Date(t.expiresAt) < now
                      ? "expired"
                      : "active"}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </div>
  );
}
