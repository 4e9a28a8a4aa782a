"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "~/client/trpc";
import { Button, ErrorText, Field, inputClass, PageHeader } from "~/ui/controls";
import { systemHref } from "~/ui/links";
import { LocationSelect, PathPreview } from "~/ui/location-select";
import { nameProblem } from "~/ui/names";
import { Checked } from "~/ui/section";

/** A new system placed in a location, of a system type, with its path previewed. */
export function SystemCreate({ initialLocation = "" }: { initialLocation?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const types = useQuery(trpc.system.listTypes.queryOptions({ page_size: 500 }));
  const [name, setName] = useState("");
  const [label, setLabel] = useState("");
  const [location, setLocation] = useState(initialLocation);
  const [type, setType] = useState("");
  const [touched, setTouched] = useState(false);
  const create = useMutation(
    trpc.system.create.mutationOptions({ onSuccess: (s) => router.push(systemHref(s.path)) }),
  );
  const problems = {
    name: nameProblem(name),
    location: location ? null : "required",
    type: type ? null : "required",
  };
  const valid = Object.values(problems).every((p) => p === null);
  const show = (p: string | null) => (touched ? p : null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (valid) create.mutate({ name, location, type, ...(label ? { label } : {}) });
  };
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-4">
      <PageHeader title="New system" />
      <form
        onSubmit={submit}
        noValidate
        aria-label="New system"
        className="flex flex-col gap-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      >
        <PathPreview parent={location} name={name} />
        <div className="grid gap-3 sm:grid-cols-2">
          <Checked label="Name" error={name ? problems.name : show(problems.name)}>
            <input
              className={inputClass}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={name && problems.name ? true : undefined}
              placeholder="av"
            />
          </Checked>
          <Field label="Label">
            <input
              className={inputClass}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              placeholder="Boardroom AV"
            />
          </Field>
          <Checked label="Location" error={show(problems.location)}>
            <LocationSelect value={location} onChange={setLocation} />
          </Checked>
          <Checked label="Type" error={show(problems.type)}>
            <select
              aria-label="Type"
              className={inputClass}
              value={type}
              onChange={(e) => setType(e.target.value)}
            >
              <option value="">— choose —</option>
              {types.data?.items.map((t) => (
                <option key={t.id} value={t.name}>
                  {`${t.label} (${t.name})`}
                </option>
              ))}
            </select>
          </Checked>
        </div>
        <div className="flex gap-3">
          <Button type="submit" variant="primary" disabled={create.isPending}>
            Create system
          </Button>
          <Button onClick={() => router.back()}>Cancel</Button>
        </div>
        <ErrorText error={create.error ?? types.error} />
      </form>
    </div>
  );
}
