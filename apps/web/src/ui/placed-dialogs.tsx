"use client";

import { useState } from "react";
import { Button, ErrorText, Field, inputClass, mutedClass } from "./controls";
import { Dialog } from "./dialog";
import { LocationSelect } from "./location-select";
import { nameProblem, parentOf } from "./names";
import { Checked } from "./section";

interface Pending {
  isPending: boolean;
  error: { message: string } | null;
}

/** Rename a placed object: its path changes with it (previewed). */
export function RenameDialog({
  what,
  path,
  name: current,
  onRename,
  onClose,
  state,
}: {
  what: string;
  path: string;
  name: string;
  onRename: (name: string) => void;
  onClose: () => void;
  state: Pending;
}) {
  const [name, setName] = useState(current);
  const problem = nameProblem(name);
  return (
    <Dialog title={`Rename ${what}`} onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem) onRename(name);
        }}
      >
        <p className={`text-sm ${mutedClass}`}>
          {path} will become{" "}
          <span className="font-mono">
            {name ? [parentOf(path), name].filter(Boolean).join(".") : "(a name is needed)"}
          </span>
        </p>
        <Checked label="New name" error={problem}>
          <input
            autoFocus
            className={inputClass}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </Checked>
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={state.isPending || !!problem}>
            Rename
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
        <ErrorText error={state.error} />
      </form>
    </Dialog>
  );
}

/** Move a placed object to another location: its path changes with it (previewed). */
export function MoveDialog({
  what,
  path,
  name,
  location: current,
  onMove,
  onClose,
  state,
}: {
  what: string;
  path: string;
  name: string;
  location: string;
  onMove: (location: string) => void;
  onClose: () => void;
  state: Pending;
}) {
  const [location, setLocation] = useState(current);
  return (
    <Dialog title={`Move ${what}`} onClose={onClose}>
      <form
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (location && location !== current) onMove(location);
        }}
      >
        <p className={`text-sm ${mutedClass}`}>
          {path} will become{" "}
          <span className="font-mono">
            {location ? `${location}.${name}` : "(choose a location)"}
          </span>
        </p>
        <Field label="New location">
          <LocationSelect value={location} onChange={setLocation} label="New location" />
        </Field>
        <div className="flex gap-2">
          <Button
            type="submit"
            variant="primary"
            disabled={state.isPending || !location || location === current}
          >
            Move
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
        <ErrorText error={state.error} />
      </form>
    </Dialog>
  );
}

/** Delete after confirming: the operator types the name; the API's 409 names what blocks it. */
export function DeleteDialog({
  what,
  path,
  name,
  consequence,
  onDelete,
  onClose,
  state,
}: {
  what: string;
  path: string;
  name: string;
  consequence: string;
  onDelete: () => void;
  onClose: () => void;
  state: Pending;
}) {
  const [typed, setTyped] = useState("");
  return (
    <Dialog title={`Delete ${what}`} onClose={onClose}>
      <p className="text-sm">
        Delete <span className="font-mono">{path}</span>? {consequence} This cannot be undone.
      </p>
      <Field label={`Type ${name} to confirm`}>
        <input
          autoFocus
          className={inputClass}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </Field>
      <div className="flex gap-2">
        <Button
          variant="danger"
          disabled={state.isPending || typed !== name}
          onClick={() => onDelete()}
        >
          Delete
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
      <ErrorText error={state.error} />
    </Dialog>
  );
}
