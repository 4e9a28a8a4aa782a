"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Button, PageHeader, mutedClass } from "./controls";
import { ManagedBy } from "./managed-by";
import { DeleteDialog, MoveDialog, RenameDialog } from "./placed-dialogs";

type Open = "rename" | "move" | "delete" | null;

/** What a placed object (location, system, component) exposes to its header. */
export interface Placed {
  id: string;
  version: number;
  name: string;
  label: string | null;
  path: string;
  /** The location it is placed in (a location: its parent, "" at the top level). */
  location: string;
}

/** A resource's rename, move and delete procedures (the typed client's, e.g. `client.system`). */
export interface PlacedProcedures {
  rename: {
    mutate(input: { ref: string; name: string; version: number }): Promise<{ path: string }>;
  };
  move: {
    mutate(input: { ref: string; location: string; version: number }): Promise<{ path: string }>;
  };
  delete: { mutate(input: { ref: string }): Promise<unknown> };
}

/** The header's actions on `object` through a resource's procedures. */
export function placedActions(
  procedures: PlacedProcedures,
  object: { id: string; version: number },
) {
  const { id: ref, version } = object;
  return {
    rename: (name: string) => procedures.rename.mutate({ ref, name, version }),
    move: (location: string) => procedures.move.mutate({ ref, location, version }),
    remove: () => procedures.delete.mutate({ ref }),
  };
}

/**
 * The one header of every placed object: its name and path, and Edit, Rename, Move and Delete
 * (each in a dialog that previews the new path). After a rename or move the page follows the
 * object to its new path; after a delete it goes back to the list.
 */
export function PlacedHeader({
  what,
  object,
  hrefOf,
  listHref,
  consequence,
  editor,
  onChanged,
  actions,
  extra,
}: {
  what: string;
  object: Placed;
  hrefOf: (path: string) => string;
  listHref: string;
  consequence: string;
  /** The edit form, shown under the header while editing; `done` closes it. */
  editor?: (done: () => void) => ReactNode;
  onChanged: () => void;
  actions: {
    rename: (name: string) => Promise<{ path: string }>;
    move?: (location: string) => Promise<{ path: string }>;
    remove: () => Promise<unknown>;
  };
  extra?: ReactNode;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<Open>(null);
  const [editing, setEditing] = useState(false);
  const follow = (moved: { path: string }) => {
    setOpen(null);
    onChanged();
    router.replace(hrefOf(moved.path));
  };
  const rename = useMutation({ mutationFn: actions.rename, onSuccess: follow });
  const move = useMutation({
    mutationFn: (location: string) => actions.move!(location),
    onSuccess: follow,
  });
  const remove = useMutation({
    mutationFn: actions.remove,
    onSuccess: () => {
      onChanged();
      router.push(listHref);
    },
  });
  const close = () => setOpen(null);
  const title = object.label ? `${object.label} (${object.name})` : object.name;
  return (
    <>
      <PageHeader title={title}>
        <div className="flex flex-wrap gap-2">
          {extra}
          {editor ? <Button onClick={() => setEditing(!editing)}>Edit</Button> : null}
          <Button onClick={() => setOpen("rename")}>Rename</Button>
          {actions.move ? <Button onClick={() => setOpen("move")}>Move</Button> : null}
          <Button variant="danger" onClick={() => setOpen("delete")}>
            Delete
          </Button>
        </div>
      </PageHeader>
      <p className={`-mt-4 font-mono text-sm ${mutedClass}`} data-testid={`${what}-path`}>
        {object.path}
      </p>
      <ManagedBy address={`${what}.${object.path}`} />
      {editor && editing
        ? editor(() => {
            setEditing(false);
            onChanged();
          })
        : null}
      {open === "rename" ? (
        <RenameDialog
          what={what}
          path={object.path}
          name={object.name}
          onRename={(name) => rename.mutate(name)}
          onClose={close}
          state={rename}
        />
      ) : null}
      {open === "move" ? (
        <MoveDialog
          what={what}
          path={object.path}
          name={object.name}
          location={object.location}
          onMove={(location) => move.mutate(location)}
          onClose={close}
          state={move}
        />
      ) : null}
      {open === "delete" ? (
        <DeleteDialog
          what={what}
          path={object.path}
          name={object.name}
          consequence={consequence}
          onDelete={() => remove.mutate()}
          onClose={close}
          state={remove}
        />
      ) : null}
    </>
  );
}
