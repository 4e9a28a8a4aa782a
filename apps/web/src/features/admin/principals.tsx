"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState, type FormEvent } from "react";
import type { Principal } from "@omniglass/contracts";
import { Time } from "~/ui/time";
import { useTRPC, useTRPCClient } from "~/client/trpc";
import { TokenSection } from "~/ui/tokens";
import {
  Button,
  ErrorText,
  Field,
  PageHeader,
  Table,
  cellClass,
  inputClass,
  mutedClass,
} from "~/ui/controls";
import { scopeText } from "~/ui/format";
import { principalHref, TextLink } from "~/ui/links";
import { PAGE_SIZE, useListState } from "~/ui/list-state";
import { ResourceList, type Column } from "~/ui/resource-list";
import { panelClass } from "~/ui/section";

/** A new person or service account. */
function NewPrincipal({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<"service" | "human">("service");
  const [name, setName] = useState("");
  const [label, setLabel] = useState("");
  const create = useMutation(
    trpc.principal.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setLabel("");
        onCreated();
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ kind, name, ...(label ? { label } : {}) });
  };
  return (
    <form onSubmit={submit} aria-label="New principal" className={panelClass}>
      <Field label="Kind">
        <select
          className={inputClass}
          value={kind}
          onChange={(e) => setKind(e.target.value as "service" | "human")}
        >
          <option value="service">service account</option>
          <option value="human">person</option>
        </select>
      </Field>
      <Field label="Name">
        <input
          className={inputClass}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          pattern="[a-z0-9][a-z0-9-]*"
        />
      </Field>
      <Field label="Label">
        <input className={inputClass} value={label} onChange={(e) => setLabel(e.target.value)} />
      </Field>
      <Button type="submit" variant="primary" disabled={create.isPending}>
        Create
      </Button>
      <ErrorText error={create.error} />
    </form>
  );
}

const KINDS = ["human", "service", "node"] as const;
const COLUMNS: Column<Principal, string>[] = [
  { key: "Kind", cell: (p) => p.kind },
  { key: "State", cell: (p) => (p.disabled ? "disabled" : "active") },
  { key: "Created", cell: (p) => <Time value={p.createdAt} /> },
];

function Principals() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const state = useListState({
    filters: ["kind"] as const,
    columns: COLUMNS.map((c) => c.key),
    defaultColumns: ["Kind", "State"],
    sortable: false,
  });
  const kind = KINDS.find((k) => k === state.values.kind);
  const list = useQuery({
    ...trpc.principal.list.queryOptions({
      page_size: PAGE_SIZE,
      ...(kind ? { kind } : {}),
      ...(state.q.trim() ? { q: state.q.trim() } : {}),
      ...(state.token ? { page_token: state.token } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  return (
    <ResourceList
      title="People & services"
      before={
        <NewPrincipal
          onCreated={() =>
            void queryClient.invalidateQueries({ queryKey: trpc.principal.list.queryKey() })
          }
        />
      }
      state={state}
      filters={[
        {
          key: "kind",
          label: "Kind",
          render: (value, set) => (
            <select className={inputClass} value={value} onChange={(e) => set(e.target.value)}>
              <option value="">any</option>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          ),
        },
      ]}
      primary={{
        label: "Name",
        cell: (p) => (
          <>
            <TextLink href={principalHref(p.id)}>{p.name}</TextLink>
            {p.label ? <span className={`ml-2 ${mutedClass}`}>{p.label}</span> : null}
          </>
        ),
      }}
      columns={COLUMNS}
      result={list.data}
      error={list.error}
      rowKey={(p) => p.id}
      rowProps={() => ({ "data-testid": "principal-row" })}
    />
  );
}

/** People, service accounts and nodes; filters and the page live in the URL. */
export function PrincipalList() {
  return (
    <Suspense>
      <Principals />
    </Suspense>
  );
}

export function PrincipalDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.principal.get.queryOptions({ id }));
  const locations = useQuery(trpc.location.list.queryOptions({ page_size: 500 }));
  const roles = useQuery(trpc.role.list.queryOptions({ page_size: 500 }));
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.principal.get.queryKey({ id }) });
  const [role, setRole] = useState("viewer");
  const [scope, setScope] = useState("all");
  const [operator, setOperator] = useState<"subtree" | "descendants" | "self">("subtree");
  const createGrant = useMutation(
    trpc.principal.createGrant.mutationOptions({ onSuccess: refresh }),
  );
  const deleteGrant = useMutation(
    trpc.principal.deleteGrant.mutationOptions({ onSuccess: refresh }),
  );
  const disable = useMutation(trpc.principal.disable.mutationOptions({ onSuccess: refresh }));
  const enable = useMutation(trpc.principal.enable.mutationOptions({ onSuccess: refresh }));
  const p = detail.data;
  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6">
      <PageHeader title={p ? `${p.name}${p.label ? ` — ${p.label}` : ""}` : "Principal"}>
        {p ? (
          p.disabled ? (
            <Button onClick={() => enable.mutate({ id })}>Enable</Button>
          ) : (
            <Button
              variant="danger"
              onClick={() =>
                window.confirm(`Disable ${p.name}? Its sessions and tokens end now.`) &&
                disable.mutate({ id })
              }
            >
              Disable
            </Button>
          )
        ) : null}
      </PageHeader>
      <ErrorText error={detail.error ?? disable.error ?? enable.error} />
      {p ? (
        <p className={`text-sm ${mutedClass}`}>
          {p.kind} · {p.disabled ? "disabled" : "active"} · created <Time value={p.createdAt} />
        </p>
      ) : null}

      <TokenSection
        tokens={p?.tokens}
        issue={(name) => client.principal.createToken.mutate({ id, name })}
        revoke={(tokenId) => client.principal.revokeToken.mutate({ id, tokenId })}
        onChanged={() => void refresh()}
        rowTestId="token-row"
      />

      <section className="flex flex-col gap-3" aria-labelledby="grants-heading">
        <h2 id="grants-heading" className="text-lg font-medium">
          Grants
        </h2>
        <form
          className="flex flex-wrap items-end gap-3"
          aria-label="New grant"
          onSubmit={(e) => {
            e.preventDefault();
            createGrant.mutate({
              id,
              role,
              scope:
                scope === "all" ? { kind: "all" } : { kind: "location", location: scope, operator },
            });
          }}
        >
          <Field label="Role">
            <select className={inputClass} value={role} onChange={(e) => setRole(e.target.value)}>
              {roles.data?.items.map((r) => (
                <option key={r.id} value={r.name}>
                  {r.label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Scope">
            <select className={inputClass} value={scope} onChange={(e) => setScope(e.target.value)}>
              <option value="all">everything</option>
              {locations.data?.items.map((l) => (
                <option key={l.id} value={l.id}>{`${"  ".repeat(l.depth)}${l.path}`}</option>
              ))}
            </select>
          </Field>
          {scope !== "all" ? (
            <Field label="Covers">
              <select
                className={inputClass}
                value={operator}
                onChange={(e) => setOperator(e.target.value as typeof operator)}
              >
                <option value="subtree">it and everything inside</option>
                <option value="descendants">only what is inside</option>
                <option value="self">only it</option>
              </select>
            </Field>
          ) : null}
          <Button type="submit" variant="primary" disabled={createGrant.isPending}>
            Grant
          </Button>
          <ErrorText error={createGrant.error ?? deleteGrant.error} />
        </form>
        <Table head={["Role", "Scope", { label: "Actions", hidden: true }]}>
          {p?.grants.map((g) => (
            <tr key={g.id} data-testid="grant-row">
              <td className={cellClass}>{g.role}</td>
              <td className={cellClass}>{scopeText(g.scope)}</td>
              <td className={cellClass}>
                <Button variant="danger" onClick={() => deleteGrant.mutate({ id, grantId: g.id })}>
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </Table>
      </section>
    </div>
  );
}
