"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Location } from "@omniglass/contracts";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass, mutedClass, PageHeader } from "~/ui/controls";
import { FreshnessLine } from "~/ui/freshness";
import { HealthBadge } from "~/ui/health-badge";
import { locationHref, TextLink } from "~/ui/links";

/**
 * The location tree in reading order (the API lists by path), indented by depth, with create
 * (top level or under a row), edit label and delete. Errors from the API are shown as they come:
 * 403 outside your scope, 409 for a taken name or a location that still has children.
 */
export function LocationTree() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.location.list.queryOptions({ page_size: 500 }));
  const types = useQuery(trpc.locationType.list.queryOptions({ page_size: 500 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.location.list.queryKey() });
  const [parent, setParent] = useState<Location | null | undefined>(undefined);
  const [editing, setEditing] = useState<Location | null>(null);
  const [renaming, setRenaming] = useState<Location | null>(null);
  const remove = useMutation(trpc.location.delete.mutationOptions({ onSuccess: refresh }));

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4">
      <PageHeader title="Locations">
        <span className={`text-sm ${mutedClass}`}>
          {list.data ? `${list.data.items.length} shown` : null}
        </span>
      </PageHeader>
      <FreshnessLine updatedAt={list.dataUpdatedAt} failed={list.isError} />
      <div>
        <Button variant="primary" onClick={() => setParent(null)}>
          New top-level location
        </Button>
      </div>
      {parent !== undefined ? (
        <CreateForm
          parent={parent}
          types={types.data?.items.map((t) => t.name) ?? []}
          onDone={() => {
            setParent(undefined);
            void refresh();
          }}
        />
      ) : null}
      {renaming ? (
        <RenameForm
          location={renaming}
          onDone={() => {
            setRenaming(null);
            void refresh();
          }}
        />
      ) : null}
      {editing ? (
        <EditForm
          location={editing}
          onDone={() => {
            setEditing(null);
            void refresh();
          }}
        />
      ) : null}
      <ErrorText error={list.error ?? remove.error} />
      {list.data?.items.length === 0 ? (
        <p className={`text-sm ${mutedClass}`}>No locations yet.</p>
      ) : null}
      <ul
        className="flex flex-col divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        aria-label="Location tree"
      >
        {list.data?.items.map((location) => (
          <li
            key={location.id}
            data-testid="location-row"
            data-path={location.path}
            className="flex items-center justify-between gap-2 px-3 py-2"
          >
            <div style={{ paddingLeft: `${location.depth * 1.25}rem` }}>
              <TextLink href={locationHref(location.path)}>
                {location.label ?? location.name}
              </TextLink>{" "}
              <span className={`text-xs ${mutedClass}`}>
                {location.type} · {location.path}
              </span>{" "}
              <HealthBadge health={location.health} ownerId={location.id} />
            </div>
            <div className="flex gap-2">
              <Button onClick={() => setParent(location)}>Add inside</Button>
              <Button onClick={() => setRenaming(location)}>Rename</Button>
              <Button onClick={() => setEditing(location)}>Edit</Button>
              <Button
                variant="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(`Delete ${location.path}? This cannot be undone.`))
                    remove.mutate({ ref: location.id });
                }}
              >
                Delete
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CreateForm({
  parent,
  types,
  onDone,
}: {
  parent: Location | null;
  types: string[];
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [label, setLabel] = useState("");
  const [type, setType] = useState(types[0] ?? "");
  const create = useMutation(trpc.location.create.mutationOptions({ onSuccess: onDone }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      name,
      type: type || types[0] || "",
      ...(label ? { label } : {}),
      ...(parent ? { parent: parent.id } : {}),
    });
  };
  return (
    <form
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
      aria-label="New location"
    >
      <p className={`w-full text-sm ${mutedClass}`}>
        New location {parent ? `inside ${parent.path}` : "at the top level"}: its path will be{" "}
        <span className="font-mono">{parent ? `${parent.path}.${name || "…"}` : name || "…"}</span>
      </p>
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
      <Field label="Type">
        <select className={inputClass} value={type} onChange={(e) => setType(e.target.value)}>
          {types.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Button type="submit" variant="primary" disabled={create.isPending}>
        Create
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      <ErrorText error={create.error} />
    </form>
  );
}

function EditForm({ location, onDone }: { location: Location; onDone: () => void }) {
  const trpc = useTRPC();
  const [label, setLabel] = useState(location.label ?? "");
  const update = useMutation(trpc.location.update.mutationOptions({ onSuccess: onDone }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ ref: location.id, label: label || null, version: location.version });
      }}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
      aria-label="Edit location"
    >
      <p className={`w-full text-sm ${mutedClass}`}>Editing {location.path}</p>
      <Field label="Label">
        <input className={inputClass} value={label} onChange={(e) => setLabel(e.target.value)} />
      </Field>
      <Button type="submit" variant="primary" disabled={update.isPending}>
        Save
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      <ErrorText error={update.error} />
    </form>
  );
}

function RenameForm({ location, onDone }: { location: Location; onDone: () => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState(location.name);
  const rename = useMutation(trpc.location.rename.mutationOptions({ onSuccess: onDone }));
  const parentPath = location.path.includes(".")
    ? location.path.slice(0, location.path.lastIndexOf(".") + 1)
    : "";
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate({ ref: location.id, name, version: location.version });
      }}
      className="flex flex-wrap items-end gap-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
      aria-label="Rename location"
    >
      <p className={`w-full text-sm ${mutedClass}`}>
        Renaming {location.path}: it and everything inside will be under{" "}
        <span className="font-mono">{`${parentPath}${name || "…"}`}</span>
      </p>
      <Field label="New name">
        <input
          className={inputClass}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          pattern="[a-z0-9][a-z0-9-]*"
        />
      </Field>
      <Button type="submit" variant="primary" disabled={rename.isPending}>
        Rename
      </Button>
      <Button onClick={onDone}>Cancel</Button>
      <ErrorText error={rename.error} />
    </form>
  );
}
