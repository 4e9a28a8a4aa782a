"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Button, cellClass, ErrorText, Field, inputClass, IssuedToken, Table } from "./controls";
import { Time } from "./time";

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt?: string | null;
  revokedAt: string | null;
}

const stateOf = (t: TokenRow) =>
  t.revokedAt
    ? "revoked"
    : t.expiresAt && Date.parse(t.expiresAt) < Date.now()
      ? "expired"
      : "active";

/**
 * API tokens of a principal (an admin's view of anyone, or your own): issue one (its secret shown
 * once), the list without secrets, revoke. `issue` and `revoke` are the caller's procedures.
 */
export function TokenSection({
  tokens,
  issue,
  revoke,
  onChanged,
  rowTestId,
  unreadable,
}: {
  tokens: TokenRow[] | undefined;
  issue: (name: string) => Promise<{ token: string }>;
  revoke: (tokenId: string) => Promise<unknown>;
  onChanged: () => void;
  rowTestId: string;
  /** Said instead of the list when the tokens cannot be read. */
  unreadable?: ReactNode;
}) {
  const [name, setName] = useState("");
  const [issued, setIssued] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: issue,
    onSuccess: (t) => {
      setIssued(t.token);
      setName("");
      onChanged();
    },
  });
  const remove = useMutation({ mutationFn: revoke, onSuccess: onChanged });
  return (
    <section className="flex flex-col gap-3" aria-label="API tokens">
      <h2 className="text-lg font-medium">API tokens</h2>
      {issued ? <IssuedToken token={issued} onDismiss={() => setIssued(null)} /> : null}
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label="New token"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name);
        }}
      >
        <Field label="Token name">
          <input
            className={inputClass}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            pattern="[a-z0-9][a-z0-9-]*"
          />
        </Field>
        <Button type="submit" variant="primary" disabled={create.isPending}>
          Issue token
        </Button>
        <ErrorText error={create.error ?? remove.error} />
      </form>
      {unreadable ?? (
        <Table
          head={[
            "Name",
            "Token",
            "Created",
            "Last used",
            "State",
            { label: "Actions", hidden: true },
          ]}
        >
          {tokens?.map((t) => (
            <tr key={t.id} data-testid={rowTestId}>
              <td className={cellClass}>{t.name}</td>
              <td className={`${cellClass} font-mono text-xs`}>{t.prefix}…</td>
              <td className={cellClass}>
                <Time value={t.createdAt} />
              </td>
              <td className={cellClass}>
                <Time value={t.lastUsedAt} />
              </td>
              <td className={cellClass}>{stateOf(t)}</td>
              <td className={cellClass}>
                {t.revokedAt ? null : (
                  <Button variant="danger" onClick={() => remove.mutate(t.id)}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
